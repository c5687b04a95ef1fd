import { Routes } from '@angular/router';

const todo = () => import('../../shared/todo').then((m) => m.Todo);

/** `/sign-up`: a new business or customer account. */
export const SIGN_UP_ROUTES: Routes = [{ path: '', loadComponent: todo }];

/** `/reset-password?token=…`: the page behind the mailed link. */
export const RESET_ROUTES: Routes = [{ path: '', loadComponent: todo }];

/** `profile` (business and customer areas): the signed-in user's profile. */
export const PROFILE_ROUTES: Routes = [{ path: '', title: 'Profile · Hisaab', loadComponent: todo }];
