import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import createClient from 'openapi-fetch';
import type { components, paths } from '../api/schema';
import { authMiddleware } from './auth';
import { call } from './problem';

/** The signed-in user, as `GET /v1/me` shows it. */
export type User = components['schemas']['UserView'];
type Tokens = components['schemas']['Tokens'];

/** What is kept in `localStorage` between visits. */
interface Stored {
  access_token: string;
  refresh_token: string;
  /** When the access token expires, milliseconds since the epoch. */
  expires_at: number;
  user: User;
}

const KEY = 'hisaab.session';
/** Refresh an access token this long before it expires. */
const EARLY_MS = 30_000;

function load(): Stored | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

/** The admin levels, lowest first. */
const LEVELS = ['admin_l1', 'admin_senior', 'admin_super'] as const;

/**
 * The session: tokens kept in `localStorage`, the access token refreshed
 * with the refresh token (`POST /v1/auth/refresh`, single use, rotated),
 * and the typed API client every page uses ([`Session.api`]), which sends
 * the token and refreshes it on a 401.
 */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly router = inject(Router);
  private readonly state = signal<Stored | null>(load());
  private refreshing: Promise<boolean> | null = null;

  /** The signed-in user, or null. */
  readonly user = computed(() => this.state()?.user ?? null);
  /** Whether the user is a platform admin (any level). */
  readonly isAdmin = computed(() => (LEVELS as readonly string[]).includes(this.user()?.role ?? ''));
  /** 0 for L1, 1 for senior, 2 for super; -1 for everyone else. */
  readonly adminLevel = computed(() => (LEVELS as readonly string[]).indexOf(this.user()?.role ?? ''));

  /** Calls the auth routes (no token). The API is on the app's own origin. */
  private readonly open = createClient<paths>({ baseUrl: location.origin });

  /** The API client for everything else. */
  readonly api = createClient<paths>({ baseUrl: location.origin });

  constructor() {
    this.api.use(
      authMiddleware({
        validToken: () => this.validToken(),
        refresh: () => this.refresh(),
        expired: () => this.expired(),
      }),
    );
    // Another tab signed in or out.
    window.addEventListener('storage', (e) => {
      if (e.key === KEY) this.state.set(load());
    });
  }

  /** Sends a sign-in code by SMS (`POST /v1/auth/otp`). */
  async sendOtp(phone: string): Promise<void> {
    await call(this.open.POST('/v1/auth/otp', { body: { phone } }));
  }

  /** Signs in with the code (`POST /v1/auth/otp/verify`). */
  async verifyOtp(phone: string, code: string): Promise<User> {
    return this.start(await call(this.open.POST('/v1/auth/otp/verify', { body: { phone, code } })));
  }

  /**
   * Signs in with a password (`POST /v1/auth/login`): the user, or
   * `'otp'` when a code was sent and must be entered (platform admins
   * always get one).
   */
  async login(phone: string, password: string): Promise<User | 'otp'> {
    const answer = await call(this.open.POST('/v1/auth/login', { body: { phone, password } }));
    if ('otp_required' in answer) return 'otp';
    return this.start(answer);
  }

  /** Ends the session here and on the server (`POST /v1/auth/logout`). */
  async signOut(): Promise<void> {
    const current = this.state();
    this.store(null);
    if (current) {
      await this.open
        .POST('/v1/auth/logout', { body: { refresh_token: current.refresh_token } })
        .catch(() => undefined);
    }
    await this.router.navigateByUrl('/sign-in');
  }

  /** Replaces the user kept with the session (after a profile edit). */
  setUser(user: User): void {
    const current = this.state();
    if (current) this.store({ ...current, user });
  }

  /** The access token, refreshed first when it expires within 30 s. */
  async validToken(): Promise<string | null> {
    const current = this.state();
    if (!current) return null;
    if (current.expires_at - Date.now() < EARLY_MS) {
      if (!(await this.refresh())) return null;
    }
    return this.state()?.access_token ?? null;
  }

  /**
   * Trades the refresh token for new tokens. Concurrent callers share one
   * request: refresh tokens are single use, so a second request with the
   * same token would end the session.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    const current = this.state();
    if (!current) return false;
    try {
      this.start(
        await call(this.open.POST('/v1/auth/refresh', { body: { refresh_token: current.refresh_token } })),
      );
      return true;
    } catch {
      return false;
    }
  }

  /** The session ended: back to sign-in, returning to this page after. */
  private expired(): void {
    this.store(null);
    const here = this.router.url;
    void this.router.navigate(['/sign-in'], {
      queryParams: here && !here.startsWith('/sign-in') ? { return: here, expired: 1 } : { expired: 1 },
    });
  }

  private start(tokens: Tokens): User {
    this.store({
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
      expires_at: Date.now() + tokens.expires_in * 1000,
      user: tokens.user,
    });
    return tokens.user;
  }

  private store(value: Stored | null): void {
    this.state.set(value);
    if (value) localStorage.setItem(KEY, JSON.stringify(value));
    else localStorage.removeItem(KEY);
  }
}
