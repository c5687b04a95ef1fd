import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { Session } from './session';

/** Signed-in users only; others go to sign-in and come back after. */
export const signedIn: CanActivateFn = (_route, state) => {
  const session = inject(Session);
  if (session.user()) return true;
  return inject(Router).createUrlTree(['/sign-in'], { queryParams: { return: state.url } });
};

/** Platform admins only; everyone else goes to their own home. */
export const adminOnly: CanActivateFn = () => {
  const session = inject(Session);
  return session.isAdmin() ? true : inject(Router).createUrlTree(['/']);
};

/** Super admins only (employees); other admins go to the dashboard. */
export const superOnly: CanActivateFn = () => {
  const session = inject(Session);
  return session.adminLevel() >= 2 ? true : inject(Router).createUrlTree(['/admin']);
};

/** Business owners and staff only; everyone else goes to their own home. */
export const businessOnly: CanActivateFn = () => {
  const role = inject(Session).user()?.role;
  return role === 'owner' || role === 'staff' ? true : inject(Router).createUrlTree(['/']);
};

/** Customer users only; everyone else goes to their own home. */
export const customerOnly: CanActivateFn = () => {
  return inject(Session).user()?.role === 'customer' ? true : inject(Router).createUrlTree(['/']);
};

/** The home of each kind of user. */
export function homeOf(role: string | undefined): string {
  if (role === 'customer') return '/customer';
  if (role === 'owner' || role === 'staff') return '/business';
  return '/admin';
}

/** `/`: each user to their own area (admins to the console). */
export const home: CanActivateFn = () => {
  const session = inject(Session);
  const router = inject(Router);
  if (!session.user()) return router.createUrlTree(['/sign-in']);
  return router.createUrlTree([homeOf(session.user()?.role)]);
};
