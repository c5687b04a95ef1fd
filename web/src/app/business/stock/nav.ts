import { Component } from '@angular/core';
import { RouterLink, RouterLinkActive } from '@angular/router';

/** The stock area's own tabs: on hand, receipts, suppliers, valuation. */
@Component({
  selector: 'app-stock-nav',
  imports: [RouterLink, RouterLinkActive],
  template: `
    <nav class="tabs" aria-label="Stock">
      <a
        routerLink="/business/stock"
        routerLinkActive="on"
        [routerLinkActiveOptions]="{ exact: true }"
        ariaCurrentWhenActive="page"
        >On hand</a
      >
      <a routerLink="/business/stock/receipts" routerLinkActive="on" ariaCurrentWhenActive="page"
        >Receipts</a
      >
      <a routerLink="/business/stock/suppliers" routerLinkActive="on" ariaCurrentWhenActive="page"
        >Suppliers</a
      >
      <a routerLink="/business/stock/valuation" routerLinkActive="on" ariaCurrentWhenActive="page"
        >Valuation</a
      >
    </nav>
  `,
  styles: `
    .tabs {
      display: flex;
      gap: 4px;
      border-bottom: 1px solid var(--mat-sys-outline-variant, #ccc);
      margin: -4px 0 12px;
      overflow-x: auto;
    }
    a {
      padding: 12px 14px;
      text-decoration: none;
      color: var(--mat-sys-on-surface-variant);
      white-space: nowrap;
      border-bottom: 3px solid transparent;
      min-height: 24px;
    }
    a.on {
      color: var(--mat-sys-primary);
      border-bottom-color: var(--mat-sys-primary);
      font-weight: 500;
    }
    a:focus-visible {
      outline: 2px solid var(--mat-sys-primary);
      outline-offset: -2px;
    }
    @media (max-width: 400px) {
      a {
        padding: 12px 7px;
        font-size: 0.95rem;
      }
    }
  `,
})
export class StockNav {}
