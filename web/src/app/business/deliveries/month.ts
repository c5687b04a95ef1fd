import { BreakpointObserver } from '@angular/cdk/layout';
import { Component, computed, effect, inject, input, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { map } from 'rxjs';
import type { components } from '../../api/schema';
import { rupees } from '../../core/format';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { call, describe } from '../../core/problem';
import { Session } from '../../core/session';
import { Confirm } from '../../shared/confirm';
import { ListState } from '../../shared/list-state';
import { openDay } from './day-dialog';
import {
  BusinessCalendar,
  Delivery,
  Order,
  addMonths,
  allPages,
  daysOfMonth,
  isMonth,
  monthName,
  monthOf,
  qty,
  sameQty,
  scheduledOn,
  termsOn,
  validOn,
  weekdayShort,
} from './days';
import { DeliveriesNav } from './nav';

type CustomerMonth = components['schemas']['CustomerMonth'];
type OrderMonth = components['schemas']['OrderMonth'];

/** A column of the grid: one order, with its month's totals. */
interface Column {
  order: Order;
  totals: OrderMonth | null;
}

/** One cell: an order on a day. */
interface Cell {
  record: Delivery | null;
  /** Due by the order's days of the week. */
  scheduled: boolean;
  /** Within the order's validity. */
  valid: boolean;
  /** Can be opened (marked or corrected): not in the future, valid or marked. */
  open: boolean;
  text: string;
  title: string;
}

/**
 * A customer's month (`/business/deliveries/customers/:customerId/:month`):
 * days × orders with the quantity of each day, each order's totals, the
 * corrections and comments of a day, and the month's settlement into an
 * invoice (and reopening once that invoice is cancelled).
 */
@Component({
  selector: 'app-customer-month',
  imports: [FormsModule, RouterLink, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule, ListState, DeliveriesNav, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <app-deliveries-nav [month]="monthValue()" [monthActive]="true" />
      <div class="page-head">
        <h1>{{ data()?.customer_name ?? 'Customer' }} · {{ name() }}</h1>
        @if (data(); as m) {
          <span class="chip {{ m.status }}">{{ m.status | label }}</span>
        }
      </div>
      <div class="month-bar">
        <a mat-stroked-button [routerLink]="['/business/deliveries/customers', customerId(), prev()]" aria-label="Previous month">‹ {{ shortName(prev()) }}</a>
        <mat-form-field appearance="outline" subscriptSizing="dynamic" class="pick">
          <mat-label>Month</mat-label>
          <input matInput type="month" [ngModel]="monthValue()" (ngModelChange)="pick($event)" name="month" [max]="thisMonth() ?? ''" />
        </mat-form-field>
        @if (!thisMonth() || monthValue() < thisMonth()!) {
          <a mat-stroked-button [routerLink]="['/business/deliveries/customers', customerId(), next()]" aria-label="Next month">{{ shortName(next()) }} ›</a>
        }
        <span class="spacer"></span>
        <a mat-button routerLink="/business/deliveries/orders" [queryParams]="{ customer_id: customerId() }">Orders of this customer</a>
      </div>

      <app-list-state [loading]="loading()" [error]="error()" (retry)="load()">
        @if (data(); as m) {
          <section class="cards" aria-label="The month in figures">
            <mat-card appearance="outlined" class="card"><span class="figure">{{ m.amount | rupees }}</span><span class="muted">Amount (before GST)</span></mat-card>
            <mat-card appearance="outlined" class="card"><span class="figure">{{ m.active_days }}</span><span class="muted">Days delivered</span></mat-card>
            <mat-card appearance="outlined" class="card"><span class="figure">{{ m.skipped_days }}</span><span class="muted">Days skipped</span></mat-card>
            <mat-card appearance="outlined" class="card">
              <span class="figure">{{ m.balance | rupees }}</span>
              <span class="muted">{{ m.balance < 0 ? 'Advance (you owe them)' : 'Balance owed now' }}</span>
            </mat-card>
          </section>

          <section class="settle" aria-label="Settlement">
            @if (m.invoice; as inv) {
              <p>
                Billed as invoice <strong>{{ inv.number ?? inv.id }}</strong>: {{ inv.total | rupees }} with GST,
                {{ inv.balance_due | rupees }} left to pay <span class="chip {{ inv.status }}">{{ inv.status | label }}</span>
              </p>
              <div class="actions">
                <a mat-flat-button [routerLink]="['/business/invoices', inv.id]">Open invoice {{ inv.number ?? '' }}</a>
                @if (inv.status === 'cancelled') {
                  <button mat-stroked-button type="button" (click)="reopen()" [disabled]="busy()">Reopen the month</button>
                } @else {
                  <span class="muted">To change this month's records, cancel the invoice first; then reopen the month.</span>
                }
              </div>
            } @else {
              <p class="muted">Settling makes one invoice of the month's deliveries (one line per order and rate, with GST). Marks of a settled month are locked.</p>
              <button mat-flat-button type="button" (click)="settle()" [disabled]="busy()">Settle {{ name() }} into an invoice</button>
            }
            @if (actionError(); as e) {
              <p class="error-text" role="alert">{{ e }}</p>
            }
            @if (notice(); as n) {
              <p class="notice" role="status">{{ n }}</p>
            }
          </section>

          @if (columns().length) {
            <div class="table-wrap">
              <table class="plain totals" aria-label="Totals per order">
                <thead>
                  <tr>
                    <th scope="col">Order</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Amount</th>
                    <th scope="col" class="num">Delivered</th><th scope="col" class="num">Skipped</th>
                  </tr>
                </thead>
                <tbody>
                  @for (c of columns(); track c.order.id) {
                    <tr>
                      <th scope="row">
                        <a [routerLink]="['/business/deliveries/orders', c.order.id]">{{ c.order.item }}</a>
                        @if (c.order.status !== 'active') {
                          <span class="muted"> · {{ c.order.status | label }}</span>
                        }
                      </th>
                      <td class="num">{{ qty(c.totals?.quantity ?? '0') }} {{ c.order.unit }}</td>
                      <td class="num">
                        <strong>{{ c.totals?.amount ?? 0 | rupees }}</strong>
                        @if ((c.totals?.lines?.length ?? 0) > 1) {
                          @for (l of c.totals!.lines; track l.rate) {
                            <div class="muted line">{{ qty(l.quantity) }} × {{ l.rate | rupees }}</div>
                          }
                        }
                      </td>
                      <td class="num">{{ dayCount(c.totals?.delivered_days ?? 0) }}</td>
                      <td class="num">{{ dayCount(c.totals?.skipped_days ?? 0) }}</td>
                    </tr>
                  }
                </tbody>
                @if (columns().length > 1) {
                  <tfoot>
                    <tr>
                      <th scope="row">All orders</th>
                      <td class="num">{{ qty(m.quantity) }}</td>
                      <td class="num"><strong>{{ m.amount | rupees }}</strong></td>
                      <td class="num">{{ dayCount(m.active_days) }}</td>
                      <td class="num">{{ dayCount(m.skipped_days) }}</td>
                    </tr>
                  </tfoot>
                }
              </table>
            </div>

            <p class="muted hint">Tap a day to mark it, correct it or comment on it.</p>
            <div class="grid-wrap">
              @if (wide()) {
                <table class="grid register" [attr.aria-label]="'Deliveries of ' + name()">
                  <thead>
                    <tr>
                      <th scope="col" class="order">Order</th>
                      @for (d of days(); track d) {
                        <th scope="col" class="d" [class.sunday]="weekdayShort(d) === 'Sun'" [class.today]="d === today()">
                          <span class="wd">{{ weekdayShort(d).slice(0, 2) }}</span>{{ +d.slice(8) }}
                        </th>
                      }
                    </tr>
                  </thead>
                  <tbody>
                    @for (c of columns(); track c.order.id; let j = $index) {
                      <tr>
                        <th scope="row" class="order">
                          {{ c.order.item }}
                          <span class="muted unit">{{ c.order.unit }} · {{ qty(c.order.quantity) }}/day</span>
                        </th>
                        @for (d of days(); track d; let i = $index) {
                          @let cell = cells()[i][j];
                          <td [class]="cellClass(cell)">
                            @if (cell.open) {
                              <button type="button" class="cell" (click)="openCell(c, d, cell)" [attr.aria-label]="cell.title">{{ cell.text }}</button>
                            } @else {
                              <span [attr.title]="cell.title">{{ cell.text }}</span>
                            }
                          </td>
                        }
                      </tr>
                    }
                  </tbody>
                </table>
              } @else {
                <table class="grid" [attr.aria-label]="'Deliveries of ' + name()">
                  <thead>
                    <tr>
                      <th scope="col" class="day">Day</th>
                      @for (c of columns(); track c.order.id) {
                        <th scope="col">
                          {{ c.order.item }}
                          <span class="muted unit">{{ c.order.unit }} · {{ qty(c.order.quantity) }}/day</span>
                        </th>
                      }
                    </tr>
                  </thead>
                  <tbody>
                    @for (d of days(); track d; let i = $index) {
                      <tr [class.sunday]="weekdayShort(d) === 'Sun'" [class.today]="d === today()">
                        <th scope="row" class="day">{{ weekdayShort(d) }} {{ +d.slice(8) }}</th>
                        @for (c of columns(); track c.order.id; let j = $index) {
                          @let cell = cells()[i][j];
                          <td [class]="cellClass(cell)">
                            @if (cell.open) {
                              <button type="button" class="cell" (click)="openCell(c, d, cell)" [attr.aria-label]="cell.title">{{ cell.text }}</button>
                            } @else {
                              <span [attr.title]="cell.title">{{ cell.text }}</span>
                            }
                          </td>
                        }
                      </tr>
                    }
                  </tbody>
                </table>
              }
            </div>
            <p class="legend muted">
              <span class="key delivered">2</span> delivered ·
              <span class="key changed">1.5</span> not the ordered quantity ·
              <span class="key skipped">Skip</span> skipped ·
              <span class="key due">·</span> due, not marked
            </p>
          } @else {
            <p class="state">No order of this customer runs in {{ name() }}.</p>
          }
        }
      </app-list-state>
    </div>
  `,
  styles: `
    .month-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin-bottom: 12px; }
    .month-bar a { min-height: 44px; padding: 0 14px; min-width: 0; }
    .pick { flex: 0 1 170px; min-width: 120px; }
    .cards { grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); }
    .spacer { flex: 1; }
    .card { padding: 12px 16px; display: flex; flex-direction: column; gap: 4px; }
    .figure { font-size: 1.3rem; font-weight: 500; }
    .settle { margin: 16px 0; }
    .settle p { margin: 4px 0 8px; }
    .hint { margin: 8px 0 4px; }
    .grid-wrap { overflow-x: auto; max-width: 100%; }
    .grid { border-collapse: collapse; min-width: 280px; }
    .grid th, .grid td { border: 1px solid var(--mat-sys-outline-variant, #ddd); padding: 0; text-align: center; }
    .grid thead th { padding: 6px 10px; font-weight: 500; min-width: 96px; vertical-align: bottom; }
    .unit { display: block; font-size: 0.8rem; font-weight: 400; }
    .grid th.day { position: sticky; left: 0; z-index: 1; background: var(--mat-sys-surface-container-low, #f6f6f9); text-align: left;
      padding: 4px 10px; white-space: nowrap; font-weight: 500; }
    tr.sunday th.day { color: var(--mat-sys-error, #ba1a1a); }
    tr.today th.day { box-shadow: inset 4px 0 0 var(--mat-sys-primary); }
    .cell { width: 100%; min-height: 40px; border: 0; background: transparent; font: inherit; cursor: pointer; padding: 4px 8px; }
    .cell:hover { background: var(--mat-sys-surface-container-high, #eee); }
    .cell:focus-visible { outline: 2px solid var(--mat-sys-primary); outline-offset: -2px; }
    td.delivered { background: #edf9ef; }
    td.changed { background: #e4ecff; font-weight: 600; }
    td.skipped { background: #fff6dc; color: #6b4e00; }
    td.due { color: var(--mat-sys-on-surface-variant); }
    td.off { background: repeating-linear-gradient(45deg, transparent 0 6px, rgba(0,0,0,0.03) 6px 12px); }
    td.future span { color: var(--mat-sys-on-surface-variant); display: block; min-height: 40px; line-height: 40px; }
    table.plain { border-collapse: collapse; min-width: 0; margin-bottom: 8px; }
    @media (min-width: 700px) { table.plain { min-width: 560px; } }
    table.plain th, table.plain td { padding: 6px 8px; border-bottom: 1px solid var(--mat-sys-outline-variant, #ddd); text-align: left; }
    table.plain .num { text-align: right; white-space: nowrap; }
    table.plain tbody th { font-weight: 500; }
    table.plain tfoot th, table.plain tfoot td { border-top: 2px solid var(--mat-sys-outline-variant, #ccc); font-weight: 500; }
    .register { width: 100%; table-layout: fixed; }
    .register th.order { position: sticky; left: 0; z-index: 1; width: 150px; text-align: left; padding: 4px 8px;
      background: var(--mat-sys-surface-container-low, #f6f6f9); font-weight: 500; }
    .register thead th.d { min-width: 0; padding: 4px 0; font-weight: 400; font-size: 0.8rem; }
    .register th.d .wd { display: block; color: var(--mat-sys-on-surface-variant); }
    .register th.d.sunday, .register th.d.sunday .wd { color: var(--mat-sys-error, #ba1a1a); }
    .register th.d.today { box-shadow: inset 0 -3px 0 var(--mat-sys-primary); }
    .register .cell { padding: 4px 0; font-size: 0.85rem; }
    .line { font-size: 0.8rem; }
    .legend { margin-top: 8px; font-size: 0.9rem; }
    .key { display: inline-block; min-width: 28px; text-align: center; padding: 0 4px; border-radius: 4px; }
    .key.delivered { background: #edf9ef; } .key.changed { background: #e4ecff; font-weight: 600; }
    .key.skipped { background: #fff6dc; } .key.due { border: 1px solid var(--mat-sys-outline-variant, #ddd); }
    .chip.open { background: #dae2f9; color: #001a41; }
    .chip.billed, .chip.unpaid, .chip.partially_paid { background: #fff1c7; color: #6b4e00; }
    .chip.settled, .chip.paid { background: #d7f5dd; color: #0b5a1f; }
    .chip.overdue, .chip.cancelled { background: #fde2e1; color: #8c1d18; }
    .state { padding: 24px 8px; text-align: center; color: var(--mat-sys-on-surface-variant); }
  `,
})
export class CustomerMonthPage {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly calendar = inject(BusinessCalendar);
  private readonly dialog = inject(MatDialog);
  private readonly confirm = inject(Confirm);
  readonly qty = qty;
  readonly weekdayShort = weekdayShort;
  /** Wide screens get the register layout: orders as rows, days as columns. */
  readonly wide = toSignal(
    inject(BreakpointObserver)
      .observe('(min-width: 1300px)')
      .pipe(map((s) => s.matches)),
    { initialValue: false },
  );

  readonly customerId = input.required<string>();
  /** `yyyy-mm`, or `current`. */
  readonly month = input.required<string>();

  readonly today = signal<string | null>(null);
  readonly thisMonth = computed(() => (this.today() ? monthOf(this.today()!) : null));
  readonly monthValue = computed(() => (isMonth(this.month()) ? this.month() : (this.thisMonth() ?? '')));
  readonly name = computed(() => monthName(this.monthValue()));
  readonly prev = computed(() => (this.monthValue() ? addMonths(this.monthValue(), -1) : ''));
  readonly next = computed(() => (this.monthValue() ? addMonths(this.monthValue(), 1) : ''));
  readonly days = computed(() => (this.monthValue() ? daysOfMonth(this.monthValue()) : []));

  readonly data = signal<CustomerMonth | null>(null);
  readonly orders = signal<Order[]>([]);
  readonly records = signal<Delivery[]>([]);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly busy = signal(false);
  readonly actionError = signal<string | null>(null);
  readonly notice = signal<string | null>(null);

  readonly columns = computed<Column[]>(() => {
    const m = this.data();
    const withRecords = new Set(this.records().map((r) => r.order_id));
    return this.orders()
      .filter((o) => withRecords.has(o.id) || o.status === 'active' || o.status === 'inactive')
      .map((order) => ({ order, totals: m?.orders.find((t) => t.order_id === order.id) ?? null }));
  });

  readonly cells = computed<Cell[][]>(() => {
    const today = this.today() ?? '9999-12-31';
    const byKey = new Map(this.records().map((r) => [`${r.order_id}|${r.date}`, r]));
    return this.days().map((d) =>
      this.columns().map(({ order }) => {
        const record = byKey.get(`${order.id}|${d}`) ?? null;
        const valid = validOn(order, d);
        const scheduled = scheduledOn(order, d);
        const open = !!record || (valid && d <= today && order.status === 'active');
        const when = `${order.item}, ${weekdayShort(d)} ${+d.slice(8)} ${monthName(monthOf(d))}`;
        if (record) {
          const text = record.status === 'delivered' ? qty(record.quantity) : 'Skip';
          const what = record.status === 'delivered' ? `delivered ${qty(record.quantity)} ${record.unit}` : 'skipped';
          return { record, scheduled, valid, open, text, title: `${when}: ${what}${record.history.length ? ' (corrected)' : ''}` };
        }
        if (!valid) return { record, scheduled, valid, open: false, text: '', title: `${when}: outside the order's dates` };
        if (d > today) return { record, scheduled, valid, open: false, text: scheduled ? '·' : '', title: `${when}: not yet` };
        return { record, scheduled, valid, open, text: scheduled ? '·' : '', title: `${when}: ${scheduled ? 'due, not marked' : 'not a delivery day'}` };
      }),
    );
  });

  constructor() {
    void this.calendar.today().then((t) => this.today.set(t));
    effect(() => {
      this.customerId();
      if (this.monthValue()) void this.load();
    });
  }

  dayCount(n: number): string {
    return `${n} ${n === 1 ? 'day' : 'days'}`;
  }

  shortName(month: string): string {
    return monthName(month).slice(0, 3);
  }

  cellClass(cell: Cell): string {
    const r = cell.record;
    if (r) {
      if (r.status === 'skipped') return 'skipped';
      const planned = this.columns().find((c) => c.order.id === r.order_id)?.order;
      return planned && !sameQty(r.quantity, termsOn(planned, r.date).quantity) ? 'changed' : 'delivered';
    }
    if (!cell.valid) return 'off';
    if (!cell.open) return 'future';
    return cell.scheduled ? 'due' : 'off';
  }

  pick(month: string): void {
    if (isMonth(month)) void this.router.navigate(['/business/deliveries/customers', this.customerId(), month]);
  }

  async load(): Promise<void> {
    const customer_id = this.customerId();
    const month = this.monthValue();
    this.loading.set(true);
    this.error.set(null);
    try {
      const [m, orders, records] = await Promise.all([
        call(this.session.api.GET('/v1/customers/{customer_id}/months/{month}', { params: { path: { customer_id, month } } })),
        allPages((cursor) => call(this.session.api.GET('/v1/orders', { params: { query: { customer_id, month, limit: 100, cursor } } }))),
        allPages((cursor) =>
          call(this.session.api.GET('/v1/customers/{customer_id}/deliveries', { params: { path: { customer_id }, query: { month, limit: 500, cursor } } })),
        ),
      ]);
      if (month !== this.monthValue() || customer_id !== this.customerId()) return;
      this.data.set(m);
      this.orders.set(orders.sort((a, b) => a.valid_from.localeCompare(b.valid_from) || a.item.localeCompare(b.item)));
      this.records.set(records);
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  async openCell(column: Column, date: string, cell: Cell): Promise<void> {
    const o = column.order;
    const changed = await openDay(this.dialog, {
      orderId: o.id,
      customer: this.data()?.customer_name ?? o.customer_name,
      item: o.item,
      unit: o.unit,
      date,
      planned: termsOn(o, date).quantity,
      extra: !cell.scheduled,
      record: cell.record,
    });
    if (changed) await this.load();
  }

  async settle(): Promise<void> {
    const m = this.data();
    if (!m) return;
    const answer = await this.confirm.ask({
      title: `Settle ${this.name()}?`,
      message: `An invoice of ${m.customer_name}'s deliveries in ${this.name()} is made (${rupees(m.amount)} before GST) and the month's records are locked.`,
      action: 'Settle',
    });
    if (!answer) return;
    await this.act(async () => {
      const after = await call(
        this.session.api.POST('/v1/customers/{customer_id}/months/{month}/settle', {
          params: { path: { customer_id: this.customerId(), month: this.monthValue() } },
        }),
      );
      this.data.set(after);
      this.notice.set(`${this.name()} is billed as invoice ${after.invoice?.number ?? ''}.`);
    });
  }

  async reopen(): Promise<void> {
    const answer = await this.confirm.ask({
      title: `Reopen ${this.name()}?`,
      message: 'The month can be corrected and settled again into a new invoice.',
      action: 'Reopen',
    });
    if (!answer) return;
    await this.act(async () => {
      const after = await call(
        this.session.api.POST('/v1/customers/{customer_id}/months/{month}/reopen', {
          params: { path: { customer_id: this.customerId(), month: this.monthValue() } },
        }),
      );
      this.data.set(after);
      this.notice.set(`${this.name()} is open again.`);
    });
  }

  private async act(action: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.actionError.set(null);
    this.notice.set(null);
    try {
      await action();
    } catch (e) {
      this.actionError.set(describe(e));
    } finally {
      this.busy.set(false);
    }
  }
}
