import { Routes } from '@angular/router';
import { adminOnly, home, signedIn, superOnly } from './core/guards';

/**
 * The app's pages. The admin console and the business area load on
 * demand, so the sign-in page stays small.
 */
export const routes: Routes = [
  { path: '', pathMatch: 'full', canActivate: [home], children: [] },
  { path: 'sign-in', title: 'Sign in · Hisaab', loadComponent: () => import('./sign-in/sign-in').then((m) => m.SignIn) },
  {
    path: 'admin',
    canActivate: [signedIn, adminOnly],
    loadComponent: () => import('./admin/shell').then((m) => m.AdminShell),
    children: [
      { path: '', title: 'Dashboard · Hisaab admin', loadComponent: () => import('./admin/dashboard').then((m) => m.Dashboard) },
      { path: 'transactions', title: 'Transactions · Hisaab admin', loadComponent: () => import('./admin/transactions').then((m) => m.Transactions) },
      { path: 'transactions/:reportId', title: 'Transaction · Hisaab admin', loadComponent: () => import('./admin/transaction').then((m) => m.Transaction) },
      { path: 'disputes', title: 'Disputes · Hisaab admin', loadComponent: () => import('./admin/cases').then((m) => m.Disputes) },
      { path: 'edit-requests', title: 'Edit requests · Hisaab admin', loadComponent: () => import('./admin/cases').then((m) => m.EditRequests) },
      { path: 'users', title: 'Users · Hisaab admin', loadComponent: () => import('./admin/users').then((m) => m.Users) },
      { path: 'businesses', title: 'Businesses · Hisaab admin', loadComponent: () => import('./admin/businesses').then((m) => m.Businesses) },
      { path: 'companies', title: 'Companies · Hisaab admin', loadComponent: () => import('./admin/companies').then((m) => m.Companies) },
      { path: 'companies/:companyId', title: 'Company · Hisaab admin', loadComponent: () => import('./admin/company').then((m) => m.Company) },
      { path: 'wrong-reports', title: 'Wrong reports · Hisaab admin', loadComponent: () => import('./admin/wrong-reports').then((m) => m.WrongReports) },
      { path: 'employees', title: 'Employees · Hisaab admin', canActivate: [superOnly], loadComponent: () => import('./admin/employees').then((m) => m.Employees) },
      { path: 'audit', title: 'Audit log · Hisaab admin', loadComponent: () => import('./admin/audit').then((m) => m.Audit) },
    ],
  },
  {
    path: 'business',
    title: 'Hisaab',
    canActivate: [signedIn],
    loadComponent: () => import('./business/home').then((m) => m.BusinessHome),
  },
  { path: '**', title: 'Not found · Hisaab', loadComponent: () => import('./shared/not-found').then((m) => m.NotFound) },
];
