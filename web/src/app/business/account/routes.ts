import { Routes } from '@angular/router';

/** `/sign-up`: a new business or customer account. */
export const SIGN_UP_ROUTES: Routes = [
  { path: '', loadComponent: () => import('./sign-up').then((m) => m.SignUp) },
];

/** `/reset-password?token=…`: the page behind the mailed link. */
export const RESET_ROUTES: Routes = [
  { path: '', loadComponent: () => import('./reset-password').then((m) => m.ResetPassword) },
];

/** `profile` (business and customer areas): the signed-in user's profile. */
export const PROFILE_ROUTES: Routes = [
  {
    path: '',
    title: 'Profile · Hisaab',
    loadComponent: () => import('./profile').then((m) => m.Profile),
  },
];
