import { Component, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatCardModule } from '@angular/material/card';
import type { components } from '../api/schema';
import { FORMAT_PIPES } from '../core/format.pipes';
import { call, describe } from '../core/problem';
import { Session } from '../core/session';
import { ListState } from '../shared/list-state';

type VendorList = components['schemas']['VendorList'];

/**
 * `/customer`: every business that has the signed-in customer as a
 * customer (`GET /v1/vendors`), with what is owed each way, and a pointer
 * to order changes that wait for their confirmation.
 */
@Component({
  selector: 'app-customer-vendors',
  imports: [RouterLink, MatCardModule, ListState, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <div class="page-head"><h1>My vendors</h1></div>

      <app-list-state
        [loading]="loading()"
        [error]="error()"
        [empty]="!!list() && list()!.items.length === 0"
        [emptyText]="emptyText"
        (retry)="load()"
      >
        @if (list(); as l) {
          <section class="totals" aria-label="In all">
            <div class="total owe">
              <span class="what">You owe in all</span>
              <span class="amount" data-testid="total-you-owe">{{ l.total_you_owe | rupees }}</span>
            </div>
            <div class="total owed">
              <span class="what">Owed to you (advances)</span>
              <span class="amount" data-testid="total-owed-to-you">{{ l.total_owed_to_you | rupees }}</span>
            </div>
          </section>

          @if (pending() > 0) {
            <p class="notice" role="status">
              {{ pending() === 1 ? 'An order change waits' : pending() + ' order changes wait' }} for your confirmation.
              <a routerLink="/customer/orders">Review {{ pending() === 1 ? 'it' : 'them' }}</a>
            </p>
          }

          <ul class="vendors" aria-label="Vendors">
            @for (v of l.items; track v.customer_id) {
              <li>
                <a class="vendor" [routerLink]="['/customer/vendors', v.business_id]">
                  <span class="name">
                    <strong>{{ v.business_name }}</strong>
                    <span class="muted">as {{ v.customer_name }}</span>
                  </span>
                  <span class="balance" [class.due]="v.you_owe > 0" [class.credit]="v.owed_to_you > 0">
                    @if (v.you_owe > 0) {
                      <span class="what">You owe</span>
                      <span class="amount">{{ v.you_owe | rupees }}</span>
                    } @else if (v.owed_to_you > 0) {
                      <span class="what">Owed to you</span>
                      <span class="amount">{{ v.owed_to_you | rupees }}</span>
                    } @else {
                      <span class="what">All settled</span>
                      <span class="amount">{{ 0 | rupees }}</span>
                    }
                  </span>
                  <span class="go" aria-hidden="true">›</span>
                </a>
              </li>
            }
          </ul>
        }
      </app-list-state>
    </div>
  `,
  styles: `
    .page { max-width: 880px; margin: 0; }
    .totals { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 12px; margin-bottom: 16px; }
    .total {
      display: flex; flex-direction: column; gap: 4px; padding: 12px 16px; border-radius: 12px;
      background: var(--mat-sys-surface-container, #f0f0f5);
    }
    .total .amount { font-size: 1.6rem; font-weight: 500; font-variant-numeric: tabular-nums; }
    .total.owe .amount { color: #8c1d18; }
    .total.owed .amount { color: #0b5a1f; }
    .what { color: var(--mat-sys-on-surface-variant, #555); font-size: 0.9rem; }
    .notice { margin: 0 0 16px; }
    .vendors { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
    .vendor {
      display: flex; align-items: center; gap: 12px; padding: 14px 16px; border-radius: 12px; text-decoration: none;
      color: inherit; border: 1px solid var(--mat-sys-outline-variant, #c4c6d0); background: var(--mat-sys-surface, #fff);
    }
    .vendor:hover { background: var(--mat-sys-surface-container-low, #f6f6fb); }
    .vendor:focus-visible { outline: 3px solid var(--mat-sys-primary, #005cbb); outline-offset: 2px; }
    .name { flex: 1 1 auto; display: flex; flex-direction: column; min-width: 0; }
    .name strong { font-size: 1.05rem; font-weight: 500; overflow-wrap: anywhere; }
    .balance { display: flex; flex-direction: column; align-items: flex-end; text-align: right; }
    .balance .amount { font-size: 1.1rem; font-weight: 500; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .balance.due .amount { color: #8c1d18; }
    .balance.credit .amount { color: #0b5a1f; }
    @media (max-width: 600px) {
      .total { padding: 10px 12px; }
      .total .amount { font-size: 1.25rem; }
    }
    .go { font-size: 1.5rem; color: var(--mat-sys-on-surface-variant, #555); }
  `,
})
export class Vendors {
  private readonly session = inject(Session);
  readonly list = signal<VendorList | null>(null);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  /** Orders of any vendor with a change waiting for this customer. */
  readonly pending = signal(0);
  readonly emptyText =
    'No business has added you yet. When a shop or vendor adds you as a customer with your phone number, ' +
    'they appear here with what you owe them.';

  constructor() {
    void this.load();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const [list, pending] = await Promise.all([
        call(this.session.api.GET('/v1/vendors')),
        call(this.session.api.GET('/v1/orders', { params: { query: { status: 'pending' } } })).catch(() => null),
      ]);
      this.list.set(list);
      this.pending.set(pending?.items.filter((o) => o.pending_change).length ?? 0);
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }
}
