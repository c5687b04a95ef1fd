import { Routes } from '@angular/router';

/** The customer user's pages (under `/customer`). */
export const CUSTOMER_ROUTES: Routes = [
  { path: '', title: 'My vendors · Hisaab', loadComponent: () => import('../shared/todo').then((m) => m.Todo) },
];
