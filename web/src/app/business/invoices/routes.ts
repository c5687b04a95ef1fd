import { Routes } from '@angular/router';

/** The business area's invoices pages (under `/business`). */
export const INVOICES_ROUTES: Routes = [
  { path: '', title: 'invoices · Hisaab', loadComponent: () => import('../../shared/todo').then((m) => m.Todo) },
];
