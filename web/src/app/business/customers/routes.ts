import { Routes } from '@angular/router';

/** The business area's customers pages (under `/business/customers`). */
export const CUSTOMERS_ROUTES: Routes = [
  {
    path: '',
    title: 'Customers · Hisaab',
    loadComponent: () => import('./customers').then((m) => m.Customers),
  },
  {
    path: 'new',
    title: 'Add a customer · Hisaab',
    loadComponent: () => import('./customer-form').then((m) => m.CustomerFormPage),
  },
  {
    path: ':customerId',
    title: 'Customer · Hisaab',
    loadComponent: () => import('./customer').then((m) => m.CustomerPage),
  },
  {
    path: ':customerId/edit',
    title: 'Edit customer · Hisaab',
    loadComponent: () => import('./customer-form').then((m) => m.CustomerFormPage),
  },
];
