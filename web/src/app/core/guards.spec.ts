import { TestBed } from '@angular/core/testing';
import { ActivatedRouteSnapshot, RouterStateSnapshot, UrlTree, provideRouter } from '@angular/router';
import { beforeEach, describe, expect, it } from 'vitest';
import { adminOnly, businessOnly, customerOnly, home, signedIn, superOnly } from './guards';

function signIn(role: string | null) {
  localStorage.clear();
  if (role) {
    localStorage.setItem(
      'hisaab.session',
      JSON.stringify({ access_token: 'a', refresh_token: 'r', expires_at: Date.now() + 600_000, user: { id: 'usr_1', name: 'X', role } }),
    );
  }
}

function run(guard: typeof signedIn, url = '/admin/transactions/rpt_1'): boolean | string {
  const result = TestBed.runInInjectionContext(() =>
    guard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot),
  ) as boolean | UrlTree;
  return result instanceof UrlTree ? result.toString() : result;
}

describe('guards', () => {
  beforeEach(() => TestBed.configureTestingModule({ providers: [provideRouter([])] }));

  it('sends a signed-out visitor to sign-in, remembering the page', () => {
    signIn(null);
    expect(run(signedIn)).toBe('/sign-in?return=%2Fadmin%2Ftransactions%2Frpt_1');
  });
  it('keeps business users out of the admin console', () => {
    signIn('owner');
    expect(run(adminOnly)).toBe('/');
    expect(run(home)).toBe('/business');
  });
  it('lets admins in, and only super admins to employees', () => {
    signIn('admin_senior');
    expect(run(adminOnly)).toBe(true);
    expect(run(superOnly)).toBe('/admin');
    expect(run(home)).toBe('/admin');
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    signIn('admin_super');
    expect(run(superOnly)).toBe(true);
  });
  it('keeps customers and businesses in their own areas', () => {
    signIn('customer');
    expect(run(home)).toBe('/customer');
    expect(run(businessOnly)).toBe('/');
    expect(run(customerOnly)).toBe(true);
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    signIn('staff');
    expect(run(businessOnly)).toBe(true);
    expect(run(customerOnly)).toBe('/');
  });
});
