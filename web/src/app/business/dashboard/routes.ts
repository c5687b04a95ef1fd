import { Routes } from '@angular/router';

/** The business area's dashboard pages (under `/business`). */
export const DASHBOARD_ROUTES: Routes = [
  { path: '', title: 'dashboard · Hisaab', loadComponent: () => import('../../shared/todo').then((m) => m.Todo) },
];
