import { Routes } from '@angular/router';

/** The notification log (under `/business/notifications`; `?invoice_id=` or `?customer_id=` filter it). */
export const NOTIFICATIONS_ROUTES: Routes = [
  {
    path: '',
    title: 'Notifications · Hisaab',
    loadComponent: () => import('./notifications').then((m) => m.Notifications),
  },
];
