import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Session } from './session';

const user = {
  id: 'usr_1', name: 'Asha', phone: '+919876543210', role: 'admin_l1', status: 'active',
  phone_verified: true, has_password: false, created_at: '2026-11-30T00:00:00Z', updated_at: '2026-11-30T00:00:00Z', version: 1,
};

function tokensAnswer(n: number) {
  return Response.json({ access_token: `access-${n}`, refresh_token: `refresh-${n}`, token_type: 'Bearer', expires_in: 900, user });
}

describe('Session', () => {
  let calls: string[];
  beforeEach(() => {
    localStorage.clear();
    calls = [];
    let n = 0;
    vi.stubGlobal('fetch', async (input: Request) => {
      const body = await input.text();
      calls.push(`${new URL(input.url).pathname} ${body}`);
      await new Promise((r) => setTimeout(r, 5));
      return tokensAnswer(++n);
    });
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('keeps the session across reloads and knows the admin level', async () => {
    const session = TestBed.inject(Session);
    await session.verifyOtp('9876543210', '123456');
    expect(session.user()?.name).toBe('Asha');
    expect(session.isAdmin()).toBe(true);
    expect(session.adminLevel()).toBe(0);
    expect(JSON.parse(localStorage.getItem('hisaab.session') ?? '{}').refresh_token).toBe('refresh-1');
  });

  it('shares one refresh between concurrent callers (refresh tokens are single use)', async () => {
    const session = TestBed.inject(Session);
    await session.verifyOtp('9876543210', '123456');
    const results = await Promise.all([session.refresh(), session.refresh(), session.refresh()]);
    expect(results).toEqual([true, true, true]);
    const refreshes = calls.filter((c) => c.startsWith('/v1/auth/refresh'));
    expect(refreshes).toEqual(['/v1/auth/refresh {"refresh_token":"refresh-1"}']);
    expect(await session.validToken()).toBe('access-2');
  });

  it('refreshes an access token that is about to expire before using it', async () => {
    const session = TestBed.inject(Session);
    await session.verifyOtp('9876543210', '123456');
    const stored = JSON.parse(localStorage.getItem('hisaab.session') ?? '{}');
    stored.expires_at = Date.now() + 10_000; // within the 30 s margin
    localStorage.setItem('hisaab.session', JSON.stringify(stored));
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    const reloaded = TestBed.inject(Session);
    expect(await reloaded.validToken()).toBe('access-2');
  });
});
