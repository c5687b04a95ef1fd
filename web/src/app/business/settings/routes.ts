import { Routes } from '@angular/router';

const todo = () => import('../../shared/todo').then((m) => m.Todo);

/** `/business/settings` (owner only). */
export const SETTINGS_ROUTES: Routes = [{ path: '', title: 'Settings · Hisaab', loadComponent: todo }];

/** `/business/staff` (owner only). */
export const STAFF_ROUTES: Routes = [{ path: '', title: 'Staff · Hisaab', loadComponent: todo }];
