import { Routes } from '@angular/router';

/** The business area's deliveries pages (under `/business`). */
export const DELIVERIES_ROUTES: Routes = [
  { path: '', title: 'deliveries · Hisaab', loadComponent: () => import('../../shared/todo').then((m) => m.Todo) },
];
