import { Routes } from '@angular/router';

/** The business area's registry pages (under `/business`). */
export const REGISTRY_ROUTES: Routes = [
  { path: '', title: 'Registry · Hisaab', loadComponent: () => import('./search').then((m) => m.RegistrySearch) },
  {
    path: 'companies/:companyId',
    title: 'Company · Hisaab registry',
    loadComponent: () => import('./company').then((m) => m.RegistryCompany),
  },
  { path: 'report', title: 'Report a default · Hisaab', loadComponent: () => import('./report-form').then((m) => m.ReportForm) },
  { path: 'reports', title: 'My reports · Hisaab', loadComponent: () => import('./reports').then((m) => m.MyReports) },
  { path: 'reports/:reportId', title: 'Report · Hisaab', loadComponent: () => import('./report').then((m) => m.MyReport) },
];
