import { Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormControl, FormGroup, FormsModule, ReactiveFormsModule } from '@angular/forms';
import { Router } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { components } from '../api/schema';
import { indianDate } from '../core/format';
import { FORMAT_PIPES } from '../core/format.pipes';
import { call, describe, formMessage } from '../core/problem';
import { Session } from '../core/session';
import { Confirm } from '../shared/confirm';
import { ListState } from '../shared/list-state';
import { todayIn } from '../core/dates';
import { ChangeLine, changeLines, orderTerms, statusText } from './util';

type Order = components['schemas']['Order'];
type Vendor = components['schemas']['Vendor'];

/** What the status filter offers (the API's `status` values). */
const STATUSES: { value: string; text: string }[] = [
  { value: '', text: 'Any' },
  { value: 'active', text: 'Active' },
  { value: 'pending', text: 'Waiting for you' },
  { value: 'requested', text: 'Requested' },
  { value: 'inactive', text: 'Stopped' },
  { value: 'declined', text: 'Declined' },
];

/**
 * `/customer/orders`: the orders of every vendor (`GET /v1/orders`),
 * changes that wait for the customer to confirm or reject, and a request
 * for an on-demand order (`POST /v1/orders` with `business_id`).
 */
@Component({
  selector: 'app-customer-orders',
  imports: [
    FormsModule,
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ListState,
    ...FORMAT_PIPES,
  ],
  template: `
    <div class="page">
      <div class="page-head">
        <h1>Orders</h1>
        <button
          mat-flat-button
          type="button"
          (click)="toggleRequest()"
          [attr.aria-expanded]="requesting()"
        >
          Request an order
        </button>
      </div>

      @if (requesting()) {
        <mat-card appearance="outlined" class="request">
          <form [formGroup]="form" (ngSubmit)="sendRequest()" novalidate>
            <h2>Request an order</h2>
            <p class="muted">
              For a one-off delivery. The vendor accepts it (and sets the rate) or declines it.
            </p>
            <div class="fields">
              <mat-form-field appearance="outline">
                <mat-label>Vendor</mat-label>
                <mat-select formControlName="business_id">
                  @for (v of vendors(); track v.business_id) {
                    <mat-option [value]="v.business_id">{{ v.business_name }}</mat-option>
                  }
                </mat-select>
                <mat-error>{{ form.controls.business_id.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline">
                <mat-label>Item</mat-label>
                <input matInput formControlName="item" autocomplete="off" />
                <mat-hint>What you need, e.g. Paneer</mat-hint>
                <mat-error>{{ form.controls.item.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline">
                <mat-label>Quantity</mat-label>
                <input matInput formControlName="quantity" inputmode="decimal" autocomplete="off" />
                <mat-error>{{ form.controls.quantity.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline">
                <mat-label>Unit (optional)</mat-label>
                <input matInput formControlName="unit" autocomplete="off" />
                <mat-hint>litre, kg, pcs…</mat-hint>
                <mat-error>{{ form.controls.unit.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline">
                <mat-label>On</mat-label>
                <input matInput type="date" formControlName="valid_from" />
                <mat-error>{{ form.controls.valid_from.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline">
                <mat-label>Until (optional)</mat-label>
                <input matInput type="date" formControlName="valid_till" />
                <mat-hint>For a few days in a row</mat-hint>
                <mat-error>{{ form.controls.valid_till.getError('api') }}</mat-error>
              </mat-form-field>
              <mat-form-field appearance="outline" class="span">
                <mat-label>Note for the vendor (optional)</mat-label>
                <textarea matInput formControlName="notes" rows="2" maxlength="2000"></textarea>
                <mat-error>{{ form.controls.notes.getError('api') }}</mat-error>
              </mat-form-field>
            </div>
            @if (formError(); as m) {
              <p class="error-text" role="alert">{{ m }}</p>
            }
            <div class="actions">
              <button mat-flat-button type="submit" [disabled]="saving()">Send request</button>
              <button mat-button type="button" (click)="requesting.set(false)">Cancel</button>
            </div>
          </form>
        </mat-card>
      }
      @if (notice(); as n) {
        <p role="status" class="notice">{{ n }}</p>
      }

      <section aria-labelledby="waiting-title">
        <h2 id="waiting-title">Waiting for your confirmation</h2>
        <app-list-state
          [loading]="pendingLoading()"
          [error]="pendingError()"
          [empty]="pending().length === 0"
          emptyText="Nothing waits for you: when a vendor changes an order, you confirm it here."
          (retry)="loadPending()"
        >
          <ul class="cards-list">
            @for (o of pending(); track o.id) {
              <li class="order waiting" [attr.data-order]="o.id">
                <div class="head">
                  <strong>{{ o.item }}</strong>
                  <span class="muted">from {{ vendorName(o.business_id) }}</span>
                </div>
                @if (o.pending_change; as c) {
                  @if (c.kind === 'create') {
                    <p>New order: {{ terms(o) }}</p>
                  } @else {
                    <table class="plain changes" [attr.aria-label]="'Change asked to ' + o.item">
                      <thead>
                        <tr>
                          <th scope="col">What</th>
                          <th scope="col">Now</th>
                          <th scope="col">Asked</th>
                        </tr>
                      </thead>
                      <tbody>
                        @for (l of lines(o); track l.what) {
                          <tr>
                            <th scope="row">{{ l.what }}</th>
                            <td>{{ l.from }}</td>
                            <td class="to">{{ l.to }}</td>
                          </tr>
                        }
                      </tbody>
                    </table>
                    <p class="muted small">
                      From {{ c.effective_from | indianDate }}, or from the day you confirm if that
                      is later.
                    </p>
                  }
                  <p class="muted small">Asked {{ c.requested_at | indianDateTime }}</p>
                  <div class="actions">
                    <button
                      mat-flat-button
                      type="button"
                      [disabled]="busy() === o.id"
                      (click)="confirmChange(o)"
                      [attr.aria-label]="'Confirm the change to ' + o.item"
                    >
                      Confirm
                    </button>
                    <button
                      mat-stroked-button
                      type="button"
                      [disabled]="busy() === o.id"
                      (click)="rejectChange(o)"
                      [attr.aria-label]="'Reject the change to ' + o.item"
                    >
                      Reject
                    </button>
                  </div>
                  @if (actionError()?.id === o.id) {
                    <p class="error-text" role="alert">{{ actionError()?.message }}</p>
                  }
                }
              </li>
            }
          </ul>
        </app-list-state>
      </section>

      <section aria-labelledby="all-title">
        <h2 id="all-title">All orders</h2>
        <div class="filters">
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>Vendor</mat-label>
            <mat-select [ngModel]="vendorFilter()" (ngModelChange)="vendorFilter.set($event)">
              <mat-option value="">All vendors</mat-option>
              @for (v of vendors(); track v.business_id) {
                <mat-option [value]="v.business_id">{{ v.business_name }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>Status</mat-label>
            <mat-select [ngModel]="statusFilter()" (ngModelChange)="statusFilter.set($event)">
              @for (s of statuses; track s.value) {
                <mat-option [value]="s.value">{{ s.text }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
        </div>
        <app-list-state
          [loading]="loading()"
          [error]="error()"
          [empty]="orders().length === 0"
          emptyText="No orders match."
          (retry)="load()"
        >
          <ul class="cards-list">
            @for (o of orders(); track o.id) {
              <li class="order" [attr.data-order]="o.id">
                <div class="head">
                  <strong>{{ o.item }}</strong>
                  <span class="muted">from {{ vendorName(o.business_id) }}</span>
                  <span class="spacer"></span>
                  <span class="chip {{ o.status }}">{{ statusText(o.status) }}</span>
                  @if (o.pending_change && o.status !== 'pending') {
                    <span class="chip open">Change waiting</span>
                  }
                </div>
                <p class="terms">{{ o.type === 'on_demand' ? 'One-off: ' : '' }}{{ terms(o) }}</p>
                @if (o.status === 'requested') {
                  <p class="muted small">
                    Waiting for {{ vendorName(o.business_id) }} to accept it.
                  </p>
                }
                @if (o.notes) {
                  <p class="muted small">Note: {{ o.notes }}</p>
                }
                @if (o.history.length) {
                  <details>
                    <summary>History</summary>
                    <ol class="history">
                      @for (h of o.history; track $index) {
                        <li>
                          <span class="muted"
                            >{{ h.at | indianDateTime }} ·
                            {{ h.role === 'customer' ? 'You' : vendorName(o.business_id) }}:</span
                          >
                          {{ h.detail }}
                        </li>
                      }
                    </ol>
                  </details>
                }
              </li>
            }
          </ul>
        </app-list-state>
      </section>
    </div>
  `,
  styles: `
    h2 {
      font-size: 1.15rem;
      font-weight: 500;
      margin: 20px 0 8px;
    }
    .filters {
      row-gap: 12px;
      margin-bottom: 12px;
    }
    .request {
      padding: 16px;
      margin-bottom: 16px;
    }
    .request h2 {
      margin: 0;
    }
    .fields {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(200px, 1fr));
      gap: 4px 12px;
      margin-top: 8px;
    }
    .fields .span {
      grid-column: 1 / -1;
    }
    .cards-list {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 10px;
    }
    .order {
      padding: 12px 16px;
      border-radius: 12px;
      border: 1px solid var(--mat-sys-outline-variant, #c4c6d0);
    }
    .order.waiting {
      border-color: #c99a00;
      background: #fffbeb;
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 4px 8px;
    }
    .head strong {
      font-size: 1.05rem;
      font-weight: 500;
    }
    .spacer {
      flex: 1;
    }
    .order p {
      margin: 6px 0;
    }
    .small {
      font-size: 0.85rem;
    }
    .chip.pending,
    .chip.requested {
      background: #fff1c7;
      color: #6b4e00;
    }
    .chip.inactive,
    .chip.declined {
      background: #eceff1;
      color: #37474f;
    }
    table.plain {
      border-collapse: collapse;
      margin: 8px 0;
    }
    table.plain th,
    table.plain td {
      padding: 4px 16px 4px 0;
      text-align: left;
      vertical-align: top;
    }
    table.plain thead th {
      font-weight: 500;
      color: var(--mat-sys-on-surface-variant, #555);
      font-size: 0.85rem;
    }
    table.plain tbody th {
      font-weight: 500;
    }
    .to {
      font-weight: 600;
    }
    .history {
      margin: 6px 0 0;
      padding-left: 20px;
      font-size: 0.9rem;
    }
    .history li {
      margin-bottom: 4px;
    }
    summary {
      cursor: pointer;
      color: var(--mat-sys-primary, #005cbb);
      font-size: 0.9rem;
    }
  `,
})
export class Orders {
  private readonly session = inject(Session);
  private readonly confirm = inject(Confirm);
  private readonly router = inject(Router);
  /** `?request=<business id>`: opens the request form for that vendor. */
  readonly request = input<string | undefined>();

  readonly statuses = STATUSES;
  readonly statusText = statusText;
  readonly vendors = signal<Vendor[]>([]);
  readonly vendorFilter = signal('');
  readonly statusFilter = signal('');

  readonly orders = signal<Order[]>([]);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly pending = signal<Order[]>([]);
  readonly pendingLoading = signal(true);
  readonly pendingError = signal<string | null>(null);
  readonly busy = signal<string | null>(null);
  readonly actionError = signal<{ id: string; message: string } | null>(null);
  readonly notice = signal<string | null>(null);

  readonly requesting = signal(false);
  readonly saving = signal(false);
  readonly formError = signal<string | null>(null);
  readonly form = new FormGroup({
    business_id: new FormControl('', { nonNullable: true }),
    item: new FormControl('', { nonNullable: true }),
    quantity: new FormControl('', { nonNullable: true }),
    unit: new FormControl('', { nonNullable: true }),
    valid_from: new FormControl(todayIn(), { nonNullable: true }),
    valid_till: new FormControl('', { nonNullable: true }),
    notes: new FormControl('', { nonNullable: true }),
  });

  private readonly names = computed(
    () => new Map(this.vendors().map((v) => [v.business_id, v.business_name])),
  );
  private generation = 0;
  /** One key per request made: a retry after a lost answer is not a second order. */
  private requestKey = crypto.randomUUID();

  constructor() {
    void this.loadVendors();
    void this.loadPending();
    effect(() => {
      this.vendorFilter();
      this.statusFilter();
      untracked(() => void this.load());
    });
    effect(() => {
      const id = this.request();
      if (id) {
        untracked(() => {
          this.form.controls.business_id.setValue(id);
          this.requesting.set(true);
        });
      }
    });
  }

  vendorName(businessId: string): string {
    return this.names().get(businessId) ?? 'a vendor';
  }

  terms(o: Order): string {
    return orderTerms(o);
  }

  lines(o: Order): ChangeLine[] {
    return o.pending_change ? changeLines(o, o.pending_change) : [];
  }

  toggleRequest(): void {
    this.requesting.update((open) => !open);
    this.formError.set(null);
    if (this.requesting() && !this.form.controls.business_id.value && this.vendors().length === 1) {
      this.form.controls.business_id.setValue(this.vendors()[0].business_id);
    }
  }

  async loadVendors(): Promise<void> {
    try {
      const list = await call(this.session.api.GET('/v1/vendors'));
      this.vendors.set(list.items);
      if (!this.form.controls.business_id.value && list.items.length === 1) {
        this.form.controls.business_id.setValue(list.items[0].business_id);
      }
    } catch (e) {
      this.error.set(describe(e));
    }
  }

  async loadPending(): Promise<void> {
    this.pendingLoading.set(true);
    this.pendingError.set(null);
    try {
      const page = await call(
        this.session.api.GET('/v1/orders', { params: { query: { status: 'pending' } } }),
      );
      this.pending.set(page.items.filter((o) => o.pending_change));
    } catch (e) {
      this.pendingError.set(describe(e));
    } finally {
      this.pendingLoading.set(false);
    }
  }

  async load(): Promise<void> {
    const mine = ++this.generation;
    this.loading.set(true);
    this.error.set(null);
    try {
      const page = await call(
        this.session.api.GET('/v1/orders', {
          params: {
            query: {
              business_id: this.vendorFilter() || undefined,
              status: this.statusFilter() || undefined,
            },
          },
        }),
      );
      if (mine !== this.generation) return;
      this.orders.set(page.items);
    } catch (e) {
      if (mine !== this.generation) return;
      this.orders.set([]);
      this.error.set(describe(e));
    } finally {
      if (mine === this.generation) this.loading.set(false);
    }
  }

  async confirmChange(o: Order): Promise<void> {
    const change = o.pending_change;
    if (!change) return;
    this.busy.set(o.id);
    this.actionError.set(null);
    try {
      await call(
        this.session.api.POST('/v1/orders/{order_id}/changes/{change_id}/confirm', {
          params: { path: { order_id: o.id, change_id: change.id } },
        }),
      );
      this.notice.set(
        change.kind === 'create'
          ? `You confirmed the new order of ${o.item} from ${this.vendorName(o.business_id)}.`
          : `You confirmed the change to ${o.item}: it applies from ${indianDate(change.effective_from > todayIn() ? change.effective_from : todayIn())}.`,
      );
      await Promise.all([this.loadPending(), this.load()]);
    } catch (e) {
      this.actionError.set({ id: o.id, message: describe(e) });
    } finally {
      this.busy.set(null);
    }
  }

  async rejectChange(o: Order): Promise<void> {
    const change = o.pending_change;
    if (!change) return;
    const answer = await this.confirm.ask({
      title: change.kind === 'create' ? 'Decline the new order?' : 'Reject the change?',
      message:
        change.kind === 'create'
          ? `${this.vendorName(o.business_id)} asked to start delivering ${o.item}. Declining tells them you do not want it.`
          : `The order of ${o.item} stays as it is now. ${this.vendorName(o.business_id)} sees your reason.`,
      action: change.kind === 'create' ? 'Decline' : 'Reject',
      note: 'optional',
      destructive: true,
    });
    if (!answer) return;
    this.busy.set(o.id);
    this.actionError.set(null);
    try {
      await call(
        this.session.api.POST('/v1/orders/{order_id}/changes/{change_id}/reject', {
          params: { path: { order_id: o.id, change_id: change.id } },
          body: { reason: answer.note },
        }),
      );
      this.notice.set(
        `You rejected the change to ${o.item}; ${this.vendorName(o.business_id)} is told.`,
      );
      await Promise.all([this.loadPending(), this.load()]);
    } catch (e) {
      this.actionError.set({ id: o.id, message: describe(e) });
    } finally {
      this.busy.set(null);
    }
  }

  async sendRequest(): Promise<void> {
    this.saving.set(true);
    this.formError.set(null);
    const v = this.form.getRawValue();
    try {
      const o = await call(
        this.session.api.POST('/v1/orders', {
          params: { header: { 'Idempotency-Key': this.requestKey } },
          body: {
            business_id: v.business_id || null,
            type: 'on_demand',
            item: v.item.trim() || null,
            quantity: v.quantity.trim(),
            unit: v.unit.trim() || null,
            valid_from: v.valid_from || null,
            valid_till: v.valid_till || null,
            notes: v.notes.trim() || null,
          },
        }),
      );
      this.requestKey = crypto.randomUUID();
      this.requesting.set(false);
      this.form.reset({ business_id: v.business_id, valid_from: todayIn() });
      this.notice.set(
        `Requested ${o.item} from ${this.vendorName(o.business_id)} for ${indianDate(o.valid_from)}: they accept or decline it.`,
      );
      if (this.request())
        void this.router.navigate([], { queryParams: { request: null }, replaceUrl: true });
      await this.load();
    } catch (e) {
      this.formError.set(formMessage(this.form, e));
    } finally {
      this.saving.set(false);
    }
  }
}
