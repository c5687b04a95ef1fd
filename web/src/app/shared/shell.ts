import { BreakpointObserver } from '@angular/cdk/layout';
import { Component, computed, inject, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatListModule } from '@angular/material/list';
import { MatSidenav, MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { map } from 'rxjs';
import { label } from '../core/format';
import { Session } from '../core/session';

/** One entry of a shell's navigation. */
export interface NavItem {
  path: string;
  text: string;
  /** Shown to owners only (staff do not see it). */
  ownerOnly?: boolean;
  /** The lowest admin level that sees it (0 = L1, 2 = super). */
  level?: number;
}

/** The admin console's sections. */
export const ADMIN_NAV: NavItem[] = [
  { path: '/admin', text: 'Dashboard' },
  { path: '/admin/transactions', text: 'Transactions' },
  { path: '/admin/disputes', text: 'Disputes' },
  { path: '/admin/edit-requests', text: 'Edit requests' },
  { path: '/admin/users', text: 'Users' },
  { path: '/admin/businesses', text: 'Businesses' },
  { path: '/admin/companies', text: 'Companies' },
  { path: '/admin/wrong-reports', text: 'Wrong reports' },
  { path: '/admin/employees', text: 'Employees', level: 2 },
  { path: '/admin/exports', text: 'Exports', level: 2 },
  { path: '/admin/audit', text: 'Audit log' },
];

/** The business area's sections, for owners and staff. */
export const BUSINESS_NAV: NavItem[] = [
  { path: '/business', text: 'Dashboard' },
  { path: '/business/invoices', text: 'Invoices' },
  { path: '/business/notifications', text: 'Notifications' },
  { path: '/business/customers', text: 'Customers' },
  { path: '/business/deliveries', text: 'Deliveries' },
  { path: '/business/products', text: 'Products' },
  { path: '/business/stock', text: 'Stock' },
  { path: '/business/registry', text: 'Registry' },
  { path: '/business/settings', text: 'Settings', ownerOnly: true },
  { path: '/business/staff', text: 'Staff', ownerOnly: true },
  { path: '/business/profile', text: 'Profile' },
];

/** The customer user's sections. */
export const CUSTOMER_NAV: NavItem[] = [
  { path: '/customer', text: 'My vendors' },
  { path: '/customer/orders', text: 'Orders' },
  { path: '/customer/reports', text: 'Reports about me' },
  { path: '/customer/profile', text: 'Profile' },
];

/**
 * The frame of every area (the admin console, the business app, the
 * customer's app): a toolbar with the signed-in user, and a side
 * navigation, chosen by the user's role, that folds into a menu on narrow
 * screens.
 */
@Component({
  selector: 'app-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatToolbarModule, MatSidenavModule, MatListModule, MatButtonModule],
  template: `
    <a class="skip" href="#main">Skip to content</a>
    <mat-toolbar color="primary" class="bar">
      @if (narrow()) {
        <button mat-button type="button" (click)="sidenav().toggle()" aria-label="Menu">☰ Menu</button>
      }
      <span class="brand">{{ brand() }}</span>
      <span class="spacer"></span>
      <span class="who">{{ session.user()?.name }} · {{ role() }}</span>
      <button mat-button type="button" (click)="session.signOut()">Sign out</button>
    </mat-toolbar>
    <mat-sidenav-container class="body">
      <mat-sidenav #nav [mode]="narrow() ? 'over' : 'side'" [opened]="!narrow()" class="nav">
        <mat-nav-list [attr.aria-label]="brand() + ' sections'">
          @for (item of items(); track item.path) {
            <a
              mat-list-item
              [routerLink]="item.path"
              routerLinkActive
              #active="routerLinkActive"
              [activated]="active.isActive"
              [routerLinkActiveOptions]="{ exact: item.path === root() }"
              [attr.aria-current]="active.isActive ? 'page' : null"
              (click)="narrow() && nav.close()"
              >{{ item.text }}</a
            >
          }
        </mat-nav-list>
      </mat-sidenav>
      <mat-sidenav-content>
        <main id="main" tabindex="-1"><router-outlet /></main>
      </mat-sidenav-content>
    </mat-sidenav-container>
  `,
  styles: `
    :host { display: flex; flex-direction: column; height: 100vh; }
    .bar { position: sticky; top: 0; z-index: 2; gap: 8px; }
    .brand { font-weight: 500; }
    .spacer { flex: 1; }
    .who { font-size: 0.9rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 40vw; }
    .body { flex: 1; }
    .nav { width: 220px; }
    main:focus { outline: none; }
    .skip { position: absolute; left: -999px; top: 0; z-index: 10; background: #fff; padding: 8px; }
    .skip:focus { left: 8px; }
    @media (max-width: 600px) { .who { display: none; } }
  `,
})
export class Shell {
  readonly session = inject(Session);
  readonly sidenav = viewChild.required<MatSidenav>('nav');
  readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 900px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  /** Which area the signed-in user's role opens. */
  private readonly area = computed(() => {
    const role = this.session.user()?.role;
    if (this.session.isAdmin()) return 'admin';
    return role === 'customer' ? 'customer' : 'business';
  });
  readonly brand = computed(() => ({ admin: 'Hisaab admin', business: 'Hisaab business', customer: 'Hisaab' })[this.area()]);
  readonly root = computed(() => `/${this.area()}`);
  readonly items = computed(() => {
    switch (this.area()) {
      case 'admin':
        return ADMIN_NAV.filter((item) => (item.level ?? 0) <= this.session.adminLevel());
      case 'customer':
        return CUSTOMER_NAV;
      default:
        return BUSINESS_NAV.filter((item) => !item.ownerOnly || this.session.user()?.role === 'owner');
    }
  });
  readonly role = computed(() => label(this.session.user()?.role));
}
