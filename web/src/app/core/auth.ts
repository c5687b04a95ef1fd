import type { Middleware } from 'openapi-fetch';

/** What the auth middleware needs of the session. */
export interface TokenSource {
  /** The access token to send, refreshed first when it is about to expire. */
  validToken(): Promise<string | null>;
  /** Trades the refresh token for new tokens; false when the session is over. */
  refresh(): Promise<boolean>;
  /** The session is over: forget it and ask the user to sign in again. */
  expired(): void;
}

/** Routes that take no bearer token and never trigger a refresh. */
const PUBLIC = /^\/v1\/(auth\/|openapi\.json)/;

/**
 * openapi-fetch middleware: sends `Authorization: Bearer <access token>`,
 * and when the API answers 401 trades the refresh token once (a single
 * refresh shared by concurrent calls, see [`Session.refresh`]) and repeats
 * the request with the new token. If the refresh fails too, the session
 * has expired: `expired()` is called and the 401 is returned.
 */
export function authMiddleware(tokens: TokenSource): Middleware {
  const retries = new Map<string, Request>();
  return {
    async onRequest({ request, id, schemaPath }) {
      if (PUBLIC.test(schemaPath)) return request;
      const token = await tokens.validToken();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      // Kept unread so the request can be sent again after a refresh.
      retries.set(id, request.clone());
      return request;
    },
    async onResponse({ response, id, schemaPath, options }) {
      const retry = retries.get(id);
      retries.delete(id);
      if (response.status !== 401 || !retry || PUBLIC.test(schemaPath)) return response;
      if (!(await tokens.refresh())) {
        tokens.expired();
        return response;
      }
      const token = await tokens.validToken();
      if (token) retry.headers.set('Authorization', `Bearer ${token}`);
      return options.fetch(retry);
    },
    onError({ id }) {
      retries.delete(id);
    },
  };
}
