import { Routes } from '@angular/router';

/** The business area's stock pages (under `/business/stock`). */
export const STOCK_ROUTES: Routes = [
  {
    path: '',
    title: 'Stock on hand · Hisaab',
    loadComponent: () => import('./stock-on-hand').then((m) => m.StockOnHand),
  },
  {
    path: 'receipts',
    title: 'Receipts · Hisaab',
    loadComponent: () => import('./receipts').then((m) => m.Receipts),
  },
  {
    path: 'receipts/new',
    title: 'Record a receipt · Hisaab',
    loadComponent: () => import('./receipt-form').then((m) => m.ReceiptForm),
  },
  {
    path: 'receipts/:receiptId',
    title: 'Receipt · Hisaab',
    loadComponent: () => import('./receipt-detail').then((m) => m.ReceiptDetail),
  },
  {
    path: 'suppliers',
    title: 'Suppliers · Hisaab',
    loadComponent: () => import('./suppliers').then((m) => m.Suppliers),
  },
  {
    path: 'valuation',
    title: 'Stock valuation · Hisaab',
    loadComponent: () => import('./valuation').then((m) => m.Valuation),
  },
];
