import { Routes } from '@angular/router';

/** The business area's catalogue pages (under `/business/products`). */
export const CATALOGUE_ROUTES: Routes = [
  { path: '', title: 'Products · Hisaab', loadComponent: () => import('./products').then((m) => m.Products) },
  {
    path: 'categories',
    title: 'Categories · Hisaab',
    loadComponent: () => import('./categories').then((m) => m.Categories),
  },
  {
    path: ':productId/stock',
    title: 'Stock of a product · Hisaab',
    loadComponent: () => import('./product-stock').then((m) => m.ProductStock),
  },
];
