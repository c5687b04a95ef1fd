import { inject } from '@angular/core';
import { CanActivateFn, Router, Routes } from '@angular/router';
import { Session } from '../../core/session';

/** Owners only: staff are sent to the dashboard (the API refuses them too). */
const ownerOnly: CanActivateFn = () =>
  inject(Session).user()?.role === 'owner' ? true : inject(Router).createUrlTree(['/business']);

/** `/business/settings` (owner only) and `/business/settings/templates`. */
export const SETTINGS_ROUTES: Routes = [
  {
    path: '',
    title: 'Settings · Hisaab',
    canActivate: [ownerOnly],
    loadComponent: () => import('./settings').then((m) => m.SettingsPage),
  },
  {
    // Owner and staff read them; only the owner saves (the API refuses staff too).
    path: 'templates',
    title: 'Message templates · Hisaab',
    loadComponent: () => import('./templates').then((m) => m.Templates),
  },
];

/** `/business/staff` (owner only). */
export const STAFF_ROUTES: Routes = [
  {
    path: '',
    title: 'Staff · Hisaab',
    canActivate: [ownerOnly],
    loadComponent: () => import('./staff').then((m) => m.Staff),
  },
];
