import { Routes } from '@angular/router';
import { adminOnly, businessOnly, customerOnly, home, signedIn, superOnly } from './core/guards';

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
    loadComponent: () => import('./shared/shell').then((m) => m.Shell),
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
      { path: 'exports', title: 'Exports · Hisaab admin', canActivate: [superOnly], loadComponent: () => import('./admin/exports').then((m) => m.Exports) },
      { path: 'audit', title: 'Audit log · Hisaab admin', loadComponent: () => import('./admin/audit').then((m) => m.Audit) },
    ],
  },
  // The page behind the link in a payment reminder: public, no sign-in.
  { path: 'stop/:token', title: 'Stop payment reminders · Hisaab', loadComponent: () => import('./stop/stop').then((m) => m.StopReminders) },
  // The API reference for people (Scalar, loaded only on this page): public, no sign-in.
  { path: 'docs', title: 'API reference · Hisaab', loadComponent: () => import('./docs/docs').then((m) => m.ApiDocs) },
  { path: 'sign-up', title: 'Sign up · Hisaab', loadChildren: () => import('./business/account/routes').then((m) => m.SIGN_UP_ROUTES) },
  {
    path: 'reset-password',
    title: 'New password · Hisaab',
    loadChildren: () => import('./business/account/routes').then((m) => m.RESET_ROUTES),
  },
  {
    path: 'business',
    canActivate: [signedIn, businessOnly],
    loadComponent: () => import('./shared/shell').then((m) => m.Shell),
    children: [
      { path: '', loadChildren: () => import('./business/dashboard/routes').then((m) => m.DASHBOARD_ROUTES) },
      { path: 'customers', loadChildren: () => import('./business/customers/routes').then((m) => m.CUSTOMERS_ROUTES) },
      { path: 'invoices', loadChildren: () => import('./business/invoices/routes').then((m) => m.INVOICES_ROUTES) },
      {
        path: 'notifications',
        loadChildren: () => import('./business/notifications/routes').then((m) => m.NOTIFICATIONS_ROUTES),
      },
      { path: 'products', loadChildren: () => import('./business/catalogue/routes').then((m) => m.CATALOGUE_ROUTES) },
      { path: 'stock', loadChildren: () => import('./business/stock/routes').then((m) => m.STOCK_ROUTES) },
      { path: 'deliveries', loadChildren: () => import('./business/deliveries/routes').then((m) => m.DELIVERIES_ROUTES) },
      { path: 'registry', loadChildren: () => import('./business/registry/routes').then((m) => m.REGISTRY_ROUTES) },
      { path: 'settings', loadChildren: () => import('./business/settings/routes').then((m) => m.SETTINGS_ROUTES) },
      { path: 'staff', loadChildren: () => import('./business/settings/routes').then((m) => m.STAFF_ROUTES) },
      { path: 'profile', loadChildren: () => import('./business/account/routes').then((m) => m.PROFILE_ROUTES) },
    ],
  },
  {
    path: 'customer',
    canActivate: [signedIn, customerOnly],
    loadComponent: () => import('./shared/shell').then((m) => m.Shell),
    children: [
      { path: '', loadChildren: () => import('./customer/routes').then((m) => m.CUSTOMER_ROUTES) },
      { path: 'profile', loadChildren: () => import('./business/account/routes').then((m) => m.PROFILE_ROUTES) },
    ],
  },
  { path: '**', title: 'Not found · Hisaab', loadComponent: () => import('./shared/not-found').then((m) => m.NotFound) },
];
