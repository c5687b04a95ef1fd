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

interface NavItem {
  path: string;
  text: string;
  /** The lowest admin level that sees it (0 = L1). */
  level: number;
}

const NAV: NavItem[] = [
  { path: '/admin', text: 'Dashboard', level: 0 },
  { path: '/admin/transactions', text: 'Transactions', level: 0 },
  { path: '/admin/disputes', text: 'Disputes', level: 0 },
  { path: '/admin/edit-requests', text: 'Edit requests', level: 0 },
  { path: '/admin/users', text: 'Users', level: 0 },
  { path: '/admin/businesses', text: 'Businesses', level: 0 },
  { path: '/admin/companies', text: 'Companies', level: 0 },
  { path: '/admin/wrong-reports', text: 'Wrong reports', level: 0 },
  { path: '/admin/employees', text: 'Employees', level: 2 },
  { path: '/admin/audit', text: 'Audit log', level: 0 },
];

/** The admin console's frame: the navigation and the signed-in admin. */
@Component({
  selector: 'app-admin-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatToolbarModule, MatSidenavModule, MatListModule, MatButtonModule],
  template: `
    <a class="skip" href="#main">Skip to content</a>
    <mat-toolbar color="primary" class="bar">
      @if (narrow()) {
        <button mat-button type="button" (click)="sidenav().toggle()" aria-label="Menu">☰ Menu</button>
      }
      <span class="brand">Hisaab admin</span>
      <span class="spacer"></span>
      <span class="who">{{ session.user()?.name }} · {{ role() }}</span>
      <button mat-button type="button" (click)="session.signOut()">Sign out</button>
    </mat-toolbar>
    <mat-sidenav-container class="body">
      <mat-sidenav #nav [mode]="narrow() ? 'over' : 'side'" [opened]="!narrow()" class="nav">
        <mat-nav-list aria-label="Admin sections">
          @for (item of items(); track item.path) {
            <a
              mat-list-item
              [routerLink]="item.path"
              routerLinkActive
              #active="routerLinkActive"
              [activated]="active.isActive"
              [routerLinkActiveOptions]="{ exact: item.path === '/admin' }"
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
export class AdminShell {
  readonly session = inject(Session);
  readonly sidenav = viewChild.required<MatSidenav>('nav');
  readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 900px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  readonly items = computed(() => NAV.filter((item) => item.level <= this.session.adminLevel()));
  readonly role = computed(() => label(this.session.user()?.role));
}
