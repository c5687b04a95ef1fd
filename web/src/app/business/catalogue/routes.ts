import { Routes } from '@angular/router';

/** The business area's catalogue pages (under `/business`). */
export const CATALOGUE_ROUTES: Routes = [
  { path: '', title: 'catalogue · Hisaab', loadComponent: () => import('../../shared/todo').then((m) => m.Todo) },
];
