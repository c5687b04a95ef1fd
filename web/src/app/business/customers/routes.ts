import { Routes } from '@angular/router';

/** The business area's customers pages (under `/business`). */
export const CUSTOMERS_ROUTES: Routes = [
  { path: '', title: 'customers · Hisaab', loadComponent: () => import('../../shared/todo').then((m) => m.Todo) },
];
