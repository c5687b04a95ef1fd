import { Routes } from '@angular/router';

/** The business area's deliveries pages (under `/business`). */
export const DELIVERIES_ROUTES: Routes = [
  { path: '', title: 'Morning round · Hisaab', loadComponent: () => import('./round').then((m) => m.Round) },
  { path: 'orders', title: 'Orders · Hisaab', loadComponent: () => import('./orders').then((m) => m.Orders) },
  { path: 'orders/new', title: 'New order · Hisaab', loadComponent: () => import('./order').then((m) => m.OrderPage) },
  { path: 'orders/:orderId', title: 'Order · Hisaab', loadComponent: () => import('./order').then((m) => m.OrderPage) },
  { path: 'months/:month', title: 'Month · Hisaab', loadComponent: () => import('./months').then((m) => m.BusinessMonthPage) },
  { path: 'months', redirectTo: 'months/current' },
  {
    path: 'customers/:customerId/:month',
    title: 'Customer month · Hisaab',
    loadComponent: () => import('./month').then((m) => m.CustomerMonthPage),
  },
  { path: 'customers/:customerId', redirectTo: 'customers/:customerId/current' },
];
