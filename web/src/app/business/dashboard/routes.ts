import { Routes } from '@angular/router';

/** The business area's dashboard (`/business`). */
export const DASHBOARD_ROUTES: Routes = [
  {
    path: '',
    title: 'Dashboard · Hisaab',
    loadComponent: () => import('./dashboard').then((m) => m.BusinessDashboard),
  },
];
