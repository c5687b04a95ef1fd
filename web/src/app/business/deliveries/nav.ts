import { Component, input } from '@angular/core';
import { RouterLink, RouterLinkActive } from '@angular/router';

/** The deliveries area's own tabs: the round, the orders, the month. */
@Component({
  selector: 'app-deliveries-nav',
  imports: [RouterLink, RouterLinkActive],
  template: `
    <nav class="tabs" aria-label="Deliveries">
      <a
        routerLink="/business/deliveries"
        routerLinkActive="on"
        [routerLinkActiveOptions]="{ exact: true }"
        ariaCurrentWhenActive="page"
        >Morning round</a
      >
      <a routerLink="/business/deliveries/orders" routerLinkActive="on" ariaCurrentWhenActive="page">Orders</a>
      <a
        [routerLink]="['/business/deliveries/months', month() ?? 'current']"
        routerLinkActive
        #rla="routerLinkActive"
        [class.on]="monthActive() || rla.isActive"
        [attr.aria-current]="monthActive() || rla.isActive ? 'page' : null"
        >Month</a
      >
    </nav>
  `,
  styles: `
    .tabs { display: flex; gap: 4px; border-bottom: 1px solid var(--mat-sys-outline-variant, #ccc); margin: -4px 0 12px; overflow-x: auto; }
    a {
      padding: 12px 14px; text-decoration: none; color: var(--mat-sys-on-surface-variant); white-space: nowrap;
      border-bottom: 3px solid transparent; min-height: 24px;
    }
    a.on { color: var(--mat-sys-primary); border-bottom-color: var(--mat-sys-primary); font-weight: 500; }
    a:focus-visible { outline: 2px solid var(--mat-sys-primary); outline-offset: -2px; }
    @media (max-width: 400px) { a { padding: 12px 9px; } }
  `,
})
export class DeliveriesNav {
  /** The month the Month tab opens (`yyyy-mm`), default the current one. */
  readonly month = input<string | null>(null);
  /** Marks the Month tab as the page shown (the customer month grids). */
  readonly monthActive = input(false);
}
