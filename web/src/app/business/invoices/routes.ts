import { Routes } from '@angular/router';

/** The business area's invoices pages (under `/business/invoices`). */
export const INVOICES_ROUTES: Routes = [
  {
    path: '',
    title: 'Invoices · Hisaab',
    loadComponent: () => import('./invoice-list').then((m) => m.InvoiceList),
  },
  {
    path: 'new',
    title: 'New invoice · Hisaab',
    loadComponent: () => import('./invoice-form').then((m) => m.InvoiceForm),
  },
  {
    path: ':invoiceId',
    title: 'Invoice · Hisaab',
    loadComponent: () => import('./invoice-detail').then((m) => m.InvoiceDetail),
  },
  {
    path: ':invoiceId/edit',
    title: 'Edit invoice · Hisaab',
    loadComponent: () => import('./invoice-form').then((m) => m.InvoiceForm),
  },
];
