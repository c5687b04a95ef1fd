import { Component, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import type { components } from '../../api/schema';
import { rupees } from '../../core/format';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { Pager } from '../../core/pager';
import { call } from '../../core/problem';
import { Session } from '../../core/session';
import { PagedList } from '../../shared/list-state';
import { BusinessCalendar, Order, Terms, daysText, monthOf, qty, termsOn } from './days';
import { DeliveriesNav } from './nav';

type OrderType = components['schemas']['OrderType'];

const STATUSES = [
  { value: 'active', text: 'Active' },
  { value: 'pending', text: 'Waiting for the customer' },
  { value: 'inactive', text: 'Inactive' },
  { value: 'requested', text: 'Requested by the customer' },
  { value: 'declined', text: 'Declined' },
];

/** What an order's pending change asks, for people. */
export function changeText(o: Order): string | null {
  const c = o.pending_change;
  if (!c) return null;
  if (c.kind === 'create') return 'New order: waiting for the customer to confirm';
  const f = c.fields;
  const parts: string[] = [];
  if (f.quantity != null) parts.push(`quantity ${qty(o.quantity)} → ${qty(f.quantity)}`);
  if (f.rate != null) parts.push(`rate ${rupees(o.rate)} → ${rupees(f.rate)}`);
  if (f.days) parts.push(`days ${daysText(o.days)} → ${daysText(f.days)}`);
  if (f.valid_from) parts.push(`from ${f.valid_from}`);
  if (f.valid_till) parts.push(`till ${f.valid_till}`);
  if (f.clear_valid_till) parts.push('no end date');
  if (f.status === 'inactive') parts.push('stop the order');
  if (f.status === 'active') parts.push('resume the order');
  return `Waiting for the customer: ${parts.join(', ') || 'a change'} (from ${c.effective_from})`;
}

/** The business's orders (`GET /v1/orders`): filters, pending changes, a link to each. */
@Component({
  selector: 'app-orders',
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatSelectModule, MatTableModule, PagedList, DeliveriesNav, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <app-deliveries-nav [month]="month()" />
      <div class="page-head">
        <h1>Orders</h1>
        <a mat-flat-button routerLink="/business/deliveries/orders/new" [queryParams]="customer_id() ? { customer_id: customer_id() } : {}">New order</a>
      </div>
      <div class="filters">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Status</mat-label>
          <mat-select [ngModel]="status() ?? ''" (ngModelChange)="filter({ status: $event || null })" name="status">
            <mat-option value="">Any</mat-option>
            @for (s of statuses; track s.value) {
              <mat-option [value]="s.value">{{ s.text }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Type</mat-label>
          <mat-select [ngModel]="type() ?? ''" (ngModelChange)="filter({ type: $event || null })" name="type">
            <mat-option value="">Any</mat-option>
            <mat-option value="scheduled">Scheduled</mat-option>
            <mat-option value="on_demand">On demand</mat-option>
          </mat-select>
        </mat-form-field>
        @if (customer_id()) {
          <p class="chip customer">
            Customer: {{ customerName() ?? customer_id() }}
            <button mat-button type="button" (click)="filter({ customer_id: null })" aria-label="Show every customer's orders">✕</button>
          </p>
        }
      </div>
      <app-paged-list [pager]="pager" emptyText="No order matches. Create one with New order.">
        <div class="table-wrap">
          <table mat-table [dataSource]="pager.items()" aria-label="Orders">
            <ng-container matColumnDef="customer">
              <th mat-header-cell *matHeaderCellDef>Customer</th>
              <td mat-cell *matCellDef="let o">
                <a [routerLink]="['/business/deliveries/customers', o.customer_id, month() ?? 'current']">{{ o.customer_name }}</a>
              </td>
            </ng-container>
            <ng-container matColumnDef="item">
              <th mat-header-cell *matHeaderCellDef>Item</th>
              <td mat-cell *matCellDef="let o">
                <a [routerLink]="['/business/deliveries/orders', o.id]" [attr.aria-label]="'Order ' + o.item + ' for ' + o.customer_name">{{ o.item }}</a>
                @if (o.type === 'on_demand') {
                  <span class="muted"> · on demand</span>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="quantity">
              <th mat-header-cell *matHeaderCellDef class="num">Quantity</th>
              <td mat-cell *matCellDef="let o" class="num">
                {{ qty(current(o).quantity) }} {{ o.unit }}
                @if (upcoming(o); as t) {
                  <div class="muted small">{{ qty(t.quantity) }} from {{ t.from | indianDate }}</div>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="rate">
              <th mat-header-cell *matHeaderCellDef class="num">Rate</th>
              <td mat-cell *matCellDef="let o" class="num">
                {{ current(o).rate | rupees }}/{{ o.unit }}
                @if (upcoming(o); as t) {
                  @if (t.rate !== current(o).rate) {
                    <div class="muted small">{{ t.rate | rupees }} from {{ t.from | indianDate }}</div>
                  }
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="days">
              <th mat-header-cell *matHeaderCellDef>Days</th>
              <td mat-cell *matCellDef="let o">{{ daysText(current(o).days) }}</td>
            </ng-container>
            <ng-container matColumnDef="valid">
              <th mat-header-cell *matHeaderCellDef>Valid</th>
              <td mat-cell *matCellDef="let o">
                {{ o.valid_from | indianDate }}{{ o.valid_till ? ' – ' : ' on' }}{{ o.valid_till ? (o.valid_till | indianDate) : '' }}
              </td>
            </ng-container>
            <ng-container matColumnDef="status">
              <th mat-header-cell *matHeaderCellDef>Status</th>
              <td mat-cell *matCellDef="let o">
                <span class="chip {{ o.status }}">{{ o.status | label }}</span>
                @if (changeText(o); as c) {
                  <div class="pending">{{ c }}</div>
                }
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let o; columns: columns"></tr>
          </table>
        </div>
      </app-paged-list>
    </div>
  `,
  styles: `
    .customer { display: inline-flex; align-items: center; gap: 4px; margin: 0; padding: 0 0 0 12px; }
    .small { font-size: 0.8rem; }
    .pending { font-size: 0.85rem; color: #6b4e00; max-width: 280px; margin-top: 4px; }
    .chip.pending, .chip.requested { background: #fff1c7; color: #6b4e00; }
    .chip.inactive, .chip.declined { background: #eee; color: #444; }
  `,
})
export class Orders {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly calendar = inject(BusinessCalendar);
  readonly status = input<string>();
  readonly type = input<OrderType>();
  readonly customer_id = input<string>();
  readonly statuses = STATUSES;
  readonly columns = ['customer', 'item', 'quantity', 'rate', 'days', 'valid', 'status'];
  readonly qty = qty;
  readonly daysText = daysText;
  readonly changeText = changeText;
  readonly month = signal<string | null>(null);
  readonly today = signal<string>(new Date().toISOString().slice(0, 10));
  readonly customerName = signal<string | null>(null);

  readonly pager = new Pager<Order>((cursor) =>
    call(
      this.session.api.GET('/v1/orders', {
        params: { query: { status: this.status() || undefined, type: this.type(), customer_id: this.customer_id() || undefined, cursor, limit: 50 } },
      }),
    ),
  );

  constructor() {
    void this.calendar.today().then((t) => {
      this.today.set(t);
      this.month.set(monthOf(t));
    });
    effect(() => {
      this.status();
      this.type();
      const id = this.customer_id();
      this.customerName.set(null);
      if (id) {
        void call(this.session.api.GET('/v1/customers/{customer_id}', { params: { path: { customer_id: id } } }))
          .then((c) => this.customerName.set(c.name))
          .catch(() => undefined);
      }
      void this.pager.reload();
    });
  }

  /** The terms in force today (the API's `quantity` and `rate` are the latest, which may start later). */
  current(o: Order): Terms {
    return termsOn(o, this.today());
  }

  /** Terms that start after today, if any. */
  upcoming(o: Order): Terms | null {
    return o.terms.find((t) => t.from > this.today()) ?? null;
  }

  filter(change: Record<string, string | null>): void {
    void this.router.navigate([], { queryParams: change, queryParamsHandling: 'merge' });
  }
}
