import { Routes } from '@angular/router';

/** The business area's registry pages (under `/business`). */
export const REGISTRY_ROUTES: Routes = [
  { path: '', title: 'registry · Hisaab', loadComponent: () => import('../../shared/todo').then((m) => m.Todo) },
];
