import { Routes } from '@angular/router';

/** The customer user's pages (under `/customer`). */
export const CUSTOMER_ROUTES: Routes = [
  { path: '', title: 'My vendors · Hisaab', loadComponent: () => import('./vendors').then((m) => m.Vendors) },
  { path: 'vendors/:businessId', title: 'Vendor · Hisaab', loadComponent: () => import('./vendor').then((m) => m.VendorPage) },
  {
    path: 'vendors/:businessId/invoices/:invoiceId',
    title: 'Invoice · Hisaab',
    loadComponent: () => import('./invoice').then((m) => m.InvoicePage),
  },
  { path: 'orders', title: 'Orders · Hisaab', loadComponent: () => import('./orders').then((m) => m.Orders) },
  { path: 'reports', title: 'Reports about me · Hisaab', loadComponent: () => import('./reports').then((m) => m.Reports) },
  { path: 'reports/:reportId', title: 'Report · Hisaab', loadComponent: () => import('./report').then((m) => m.ReportPage) },
];
