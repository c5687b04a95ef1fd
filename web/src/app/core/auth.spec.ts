import { describe, expect, it } from 'vitest';
import createClient from 'openapi-fetch';
import type { paths } from '../api/schema';
import { TokenSource, authMiddleware } from './auth';

/** A fake API: answers 401 unless the bearer token is the current one. */
function fakeApi(valid: () => string) {
  const seen: { url: string; auth: string | null; body: string }[] = [];
  const fetch = async (input: Request | string | URL): Promise<Response> => {
    const request = input as Request;
    const body = request.body ? await request.text() : '';
    seen.push({ url: new URL(request.url).pathname, auth: request.headers.get('Authorization'), body });
    if (new URL(request.url).pathname.startsWith('/v1/auth/')) return Response.json({ ok: true });
    if (request.headers.get('Authorization') !== `Bearer ${valid()}`) {
      return Response.json({ type: 'urn:hisaab:problem:unauthorized', title: 'Unauthorized', status: 401, detail: 'expired' }, { status: 401 });
    }
    return Response.json({ items: [], body });
  };
  return { fetch, seen };
}

function tokens(initial: string, next: string | null): TokenSource & { refreshes: number; expiredCalls: number } {
  let token = initial;
  const source = {
    refreshes: 0,
    expiredCalls: 0,
    async validToken() {
      return token;
    },
    async refresh() {
      source.refreshes++;
      if (next === null) return false;
      token = next;
      return true;
    },
    expired() {
      source.expiredCalls++;
    },
  };
  return source;
}

describe('authMiddleware', () => {
  it('sends the access token', async () => {
    const api = fakeApi(() => 'A');
    const client = createClient<paths>({ baseUrl: 'http://h', fetch: api.fetch });
    client.use(authMiddleware(tokens('A', null)));
    const { response } = await client.GET('/v1/admin/stats');
    expect(response.status).toBe(200);
    expect(api.seen[0].auth).toBe('Bearer A');
  });

  it('refreshes once on a 401 and repeats the request with its body', async () => {
    const api = fakeApi(() => 'B');
    const client = createClient<paths>({ baseUrl: 'http://h', fetch: api.fetch });
    const source = tokens('A', 'B');
    client.use(authMiddleware(source));
    const { response } = await client.POST('/v1/admin/transactions/{report_id}/actions', {
      params: { path: { report_id: 'rpt_1' } },
      body: { action: 'approve', note: 'ok' },
    });
    expect(response.status).toBe(200);
    expect(source.refreshes).toBe(1);
    expect(api.seen.map((s) => s.auth)).toEqual(['Bearer A', 'Bearer B']);
    expect(JSON.parse(api.seen[1].body)).toEqual({ action: 'approve', note: 'ok' });
  });

  it('ends the session when the refresh fails too', async () => {
    const api = fakeApi(() => 'never');
    const client = createClient<paths>({ baseUrl: 'http://h', fetch: api.fetch });
    const source = tokens('A', null);
    client.use(authMiddleware(source));
    const { response, error } = await client.GET('/v1/admin/stats');
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ status: 401 });
    expect(source.expiredCalls).toBe(1);
  });

  it('never sends a token to, or refreshes for, the auth routes', async () => {
    const api = fakeApi(() => 'A');
    const client = createClient<paths>({ baseUrl: 'http://h', fetch: api.fetch });
    const source = tokens('A', 'B');
    client.use(authMiddleware(source));
    await client.POST('/v1/auth/otp', { body: { phone: '9876543210' } });
    expect(api.seen[0].auth).toBeNull();
    expect(source.refreshes).toBe(0);
  });
});
