import { Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { components } from '../api/schema';
import { indianDate } from '../core/format';
import { FORMAT_PIPES } from '../core/format.pipes';
import { call, describe } from '../core/problem';
import { Session } from '../core/session';
import { ListState } from '../shared/list-state';
import { CorrectDelivery, DeliveryComments } from './day-dialogs';
import { addMonths, currentMonth, isMonth, monthName, weekdayShort } from '../core/dates';
import { balanceText, qty, rateLabel } from './util';
import { Account, VendorMoney } from './vendor-money';
import { openInNewTab } from './pdf';

type Vendor = components['schemas']['Vendor'];
type VendorMonth = components['schemas']['VendorMonth'];
type Delivery = components['schemas']['Delivery'];
type Change = components['schemas']['DeliveryChange'];

/**
 * `/customer/vendors/:businessId?month=yyyy-mm`: one business's month as
 * the customer sees it (`GET /v1/vendors/{id}/months/{month}`): totals per
 * account and order, the month's invoice when billed, and every day's
 * record (`GET /v1/deliveries?business_id=`) to correct or comment on.
 */
@Component({
  selector: 'app-customer-vendor',
  imports: [
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    ListState,
    VendorMoney,
    ...FORMAT_PIPES,
  ],
  template: `
    <div class="page">
      <p class="back"><a routerLink="/customer">‹ My vendors</a></p>
      <div class="page-head">
        <h1>{{ name() }}</h1>
        <a
          mat-stroked-button
          [routerLink]="['/customer/orders']"
          [queryParams]="{ request: businessId() }"
          >Request an order</a
        >
      </div>
      @if (balance() !== null) {
        <p
          class="balance"
          [class.due]="balance()! > 0"
          [class.credit]="balance()! < 0"
          data-testid="vendor-balance"
        >
          {{ balanceText(balance()!) }}
        </p>
      }

      <nav class="months" aria-label="Month">
        <button mat-icon-button type="button" (click)="go(-1)" aria-label="Previous month">
          ‹
        </button>
        <h2 class="month-name" aria-live="polite">{{ monthName() }}</h2>
        <button
          mat-icon-button
          type="button"
          (click)="go(1)"
          [disabled]="shown() >= thisMonth"
          aria-label="Next month"
        >
          ›
        </button>
        <mat-form-field appearance="outline" subscriptSizing="dynamic" class="pick">
          <mat-label>Go to month</mat-label>
          <input
            matInput
            type="month"
            [ngModel]="shown()"
            (ngModelChange)="pick($event)"
            [max]="thisMonth"
          />
        </mat-form-field>
      </nav>

      <app-list-state [loading]="loading()" [error]="error()" (retry)="load()">
        @if (data(); as m) {
          @if (m.accounts.length === 0) {
            <p class="muted">Nothing recorded in {{ monthName() }}.</p>
          }
          @for (a of m.accounts; track a.customer_id) {
            <section
              class="account"
              [attr.aria-label]="m.accounts.length > 1 ? 'Account ' + a.customer_name : 'The month'"
            >
              @if (m.accounts.length > 1) {
                <h2>As {{ a.customer_name }}</h2>
              }
              @if (pdfError(); as e) {
                <p class="error-text" role="alert">{{ e }}</p>
              }
              <div class="bill" [class.open]="a.status === 'open'">
                <div class="bill-head">
                  <span class="chip {{ a.status }}">{{ statusName[a.status] }}</span>
                  @if (a.invoice; as inv) {
                    <a [routerLink]="['/customer/vendors', businessId(), 'invoices', inv.id]"
                      >Invoice {{ inv.number ?? '' }}</a
                    >
                    <span class="chip {{ inv.status }}">{{ inv.status | label }}</span>
                  }
                </div>
                @if (a.invoice; as inv) {
                  <div class="bill-body">
                    <span>Total {{ inv.total | rupees }}</span>
                    @if (inv.balance_due > 0) {
                      <strong class="left">{{ inv.balance_due | rupees }} left to pay</strong>
                    }
                    <button mat-stroked-button type="button" (click)="pdf(inv.id, inv.number)">
                      Invoice PDF
                    </button>
                  </div>
                } @else if (a.status === 'open') {
                  <span class="muted small"
                    >Not billed yet: {{ name() }} bills the month when it closes it.</span
                  >
                }
              </div>

              <div class="cards figures">
                <div class="figure">
                  <span class="what">Amount</span
                  ><span class="value" data-testid="month-amount">{{ a.amount | rupees }}</span>
                </div>
                <div class="figure">
                  <span class="what">Days delivered</span
                  ><span class="value">{{ a.active_days }}</span>
                </div>
                <div class="figure">
                  <span class="what">Days skipped</span
                  ><span class="value">{{ a.skipped_days }}</span>
                </div>
              </div>

              @if (a.orders.length) {
                <h3>By order</h3>
                <div class="table-wrap">
                  <table class="plain orders" aria-label="Totals by order">
                    <thead>
                      <tr>
                        <th scope="col">Item</th>
                        <th scope="col" class="num">Quantity</th>
                        <th scope="col" class="num">Amount</th>
                      </tr>
                    </thead>
                    <tbody>
                      @for (o of a.orders; track o.order_id) {
                        <tr>
                          <td>
                            {{ o.item }}
                            <div class="muted small">
                              {{ o.delivered_days }} {{ o.delivered_days === 1 ? 'day' : 'days'
                              }}{{ o.skipped_days ? ', ' + o.skipped_days + ' skipped' : '' }}
                              @if (o.lines.length === 1) {
                                · at {{ rateLabel(o.lines[0].rate, o.unit) }}
                              }
                            </div>
                            @if (o.lines.length > 1) {
                              @for (l of o.lines; track l.rate) {
                                <div class="muted small">
                                  {{ qty(l.quantity, o.unit) }} at {{ rateLabel(l.rate, o.unit) }}
                                </div>
                              }
                            }
                          </td>
                          <td class="num">{{ qty(o.quantity, o.unit) }}</td>
                          <td class="num">{{ o.amount | rupees }}</td>
                        </tr>
                      }
                    </tbody>
                    @if (a.orders.length > 1) {
                      <tfoot>
                        <tr>
                          <th scope="row">Total</th>
                          <td class="num">
                            {{ oneUnit(a.orders) ? qty(a.quantity, a.orders[0].unit) : '' }}
                          </td>
                          <td class="num">{{ a.amount | rupees }}</td>
                        </tr>
                      </tfoot>
                    }
                  </table>
                </div>
                <p class="muted small">Amounts before GST; the month's invoice adds the tax.</p>
              }

              <h3>Day by day</h3>
              @if (a.status !== 'open') {
                <p class="muted small">
                  This month is billed, so its records can no longer be corrected; ask
                  {{ name() }} to reopen it if one is wrong. You can still comment.
                </p>
              }
              @if (notice(); as n) {
                <p class="notice" role="status">{{ n }}</p>
              }
              @if (daysOf(a.customer_id); as days) {
                @if (days.length === 0) {
                  <p class="muted">No deliveries recorded in {{ monthName() }}.</p>
                } @else {
                  <table class="plain days" aria-label="Deliveries day by day">
                    <thead>
                      <tr>
                        <th scope="col">Date</th>
                        <th scope="col">Item</th>
                        <th scope="col">Record</th>
                        <th scope="col" class="num">Amount</th>
                        <th scope="col"><span class="sr-only">Actions</span></th>
                      </tr>
                    </thead>
                    <tbody>
                      @for (d of days; track d.id) {
                        <tr [class.skipped]="d.status === 'skipped'" [attr.data-date]="d.date">
                          <td class="date">{{ weekday(d.date) }}, {{ d.date | indianDate }}</td>
                          <td class="item">{{ d.item }}</td>
                          <td class="record">
                            @if (d.status === 'delivered') {
                              {{ qty(d.quantity, d.unit) }}
                            } @else {
                              <span class="chip">Skipped</span>
                            }
                            @if (d.extra) {
                              <span class="chip">Extra day</span>
                            }
                            @if (lastChange(d); as c) {
                              <div class="muted small changed">
                                Corrected by {{ c.role === 'customer' ? 'you' : name() }} ({{
                                  c.from_status === 'delivered'
                                    ? qty(c.from_quantity, d.unit)
                                    : 'skipped'
                                }}
                                →
                                {{
                                  c.to_status === 'delivered'
                                    ? qty(c.to_quantity, d.unit)
                                    : 'skipped'
                                }}){{ c.reason ? ': ' + c.reason : '' }}
                              </div>
                            }
                          </td>
                          <td class="num amount">{{ d.amount | rupees }}</td>
                          <td class="row-actions">
                            @if (a.status === 'open') {
                              <button
                                mat-button
                                type="button"
                                (click)="correct(d)"
                                [attr.aria-label]="
                                  'Correct ' + (d.date | indianDate) + ' ' + d.item
                                "
                              >
                                Correct
                              </button>
                            }
                            <button
                              mat-button
                              type="button"
                              (click)="comments(d)"
                              [attr.aria-label]="
                                'Comments on ' + (d.date | indianDate) + ' ' + d.item
                              "
                            >
                              Comments
                            </button>
                          </td>
                        </tr>
                      }
                    </tbody>
                  </table>
                }
              }
            </section>
          }
        }
      </app-list-state>

      <app-vendor-money [businessId]="businessId()" [vendorName]="name()" [accounts]="accounts()" />
    </div>
  `,
  styles: `
    .back {
      margin: 0 0 8px;
    }
    .balance {
      margin: -4px 0 12px;
      font-size: 1.15rem;
      font-weight: 500;
    }
    .balance.due {
      color: #8c1d18;
    }
    .balance.credit {
      color: #0b5a1f;
    }
    .months {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 8px;
      margin: 8px 0 16px;
    }
    .months button {
      font-size: 1.4rem;
    }
    .month-name {
      margin: 0;
      font-size: 1.25rem;
      font-weight: 500;
      min-width: 9.5em;
      text-align: center;
    }
    .pick {
      width: 190px;
      margin-left: auto;
    }
    h2 {
      font-size: 1.2rem;
      font-weight: 500;
      margin: 16px 0 8px;
    }
    h3 {
      font-size: 1.05rem;
      font-weight: 500;
      margin: 20px 0 8px;
    }
    .bill {
      display: flex;
      flex-direction: column;
      gap: 6px;
      padding: 10px 14px;
      margin-bottom: 12px;
      border-radius: 12px;
      border: 1px solid var(--mat-sys-outline-variant, #c4c6d0);
    }
    .bill.open {
      border-style: dashed;
    }
    .bill-head,
    .bill-body {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px 12px;
    }
    .bill-head a {
      font-weight: 500;
    }
    .bill-body .left {
      color: #8c1d18;
    }
    .bill-body button {
      margin-left: auto;
    }
    .chip.billed {
      background: #fff1c7;
      color: #6b4e00;
    }
    .chip.settled {
      background: #d7f5dd;
      color: #0b5a1f;
    }
    .chip.unpaid,
    .chip.overdue {
      background: #fde2e1;
      color: #8c1d18;
    }
    .chip.partially_paid {
      background: #fff1c7;
      color: #6b4e00;
    }
    .page {
      max-width: 1040px;
      margin: 0;
    }
    .figures {
      grid-template-columns: 1.4fr 1fr 1fr;
      max-width: 600px;
    }
    .figure {
      display: flex;
      flex-direction: column;
      padding: 10px 14px;
      border-radius: 12px;
      background: var(--mat-sys-surface-container, #f0f0f5);
    }
    .figure .value {
      font-size: 1.35rem;
      font-weight: 500;
      font-variant-numeric: tabular-nums;
    }
    .what {
      color: var(--mat-sys-on-surface-variant, #555);
      font-size: 0.85rem;
    }
    .small {
      font-size: 0.85rem;
    }
    table.plain {
      border-collapse: collapse;
      width: 100%;
    }
    table.plain th,
    table.plain td {
      padding: 8px 10px;
      border-bottom: 1px solid var(--mat-sys-outline-variant, #c4c6d0);
      text-align: left;
      vertical-align: top;
    }
    table.plain th {
      font-weight: 500;
      color: var(--mat-sys-on-surface-variant, #555);
      font-size: 0.9rem;
    }
    table.plain .num {
      text-align: right;
      white-space: nowrap;
      font-variant-numeric: tabular-nums;
    }
    table.plain tfoot th,
    table.plain tfoot td {
      font-weight: 500;
      border-bottom: none;
      color: inherit;
    }
    .days .date {
      white-space: nowrap;
    }
    .days tr.skipped .amount {
      color: var(--mat-sys-on-surface-variant, #555);
    }
    .row-actions {
      white-space: nowrap;
      text-align: right;
      padding: 0 !important;
      vertical-align: middle !important;
    }
    .changed {
      max-width: 40ch;
    }
    @media (max-width: 600px) {
      .figure .value {
        font-size: 1.1rem;
      }
      .figure {
        padding: 8px 10px;
      }
      table.orders th,
      table.orders td {
        padding: 6px 4px;
      }
      .bill-body button {
        margin-left: 0;
      }
      .pick {
        width: 100%;
        margin-left: 0;
      }
      .month-name {
        min-width: 0;
        flex: 1;
      }
      table.days thead {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0, 0, 0, 0);
      }
      table.days,
      table.days tbody {
        display: block;
      }
      table.days tr {
        display: grid;
        grid-template-columns: auto 1fr auto;
        align-items: center;
        gap: 0 10px;
        padding: 6px 2px;
        border-bottom: 1px solid var(--mat-sys-outline-variant, #c4c6d0);
      }
      table.days td {
        display: block;
        border: none;
        padding: 0;
      }
      table.days .date {
        grid-column: 1 / 3;
        grid-row: 1;
        font-weight: 500;
      }
      table.days .amount {
        grid-column: 3;
        grid-row: 1;
      }
      table.days .item {
        grid-column: 1;
        grid-row: 2;
        color: var(--mat-sys-on-surface-variant, #555);
      }
      table.days .record {
        grid-column: 2;
        grid-row: 2;
      }
      table.days .row-actions {
        grid-column: 3;
        grid-row: 2;
      }
      table.days .row-actions button {
        min-width: 0;
        padding: 0 8px;
      }
      .changed {
        max-width: none;
      }
    }
  `,
})
export class VendorPage {
  private readonly session = inject(Session);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  /** From the route: `/customer/vendors/:businessId`. */
  readonly businessId = input.required<string>();
  /** From the query: `?month=yyyy-mm` (default: this month). */
  readonly month = input<string | undefined>();

  readonly thisMonth = currentMonth();
  readonly shown = computed(() => {
    const m = this.month();
    return isMonth(m) ? m : this.thisMonth;
  });
  readonly monthName = computed(() => monthName(this.shown()));
  readonly vendor = signal<Vendor | null>(null);
  /** The running balance there, all accounts together: positive when the customer owes. */
  readonly balance = signal<number | null>(null);
  readonly data = signal<VendorMonth | null>(null);
  readonly days = signal<Delivery[]>([]);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly notice = signal<string | null>(null);
  readonly pdfError = signal<string | null>(null);
  /** The caller's customer records at this business. */
  readonly accounts = signal<Account[]>([]);
  readonly name = computed(
    () => this.data()?.business_name ?? this.vendor()?.business_name ?? 'Vendor',
  );
  readonly statusName: Record<components['schemas']['MonthStatus'], string> = {
    open: 'Open',
    billed: 'Billed',
    settled: 'Settled',
  };
  readonly qty = qty;
  readonly rateLabel = rateLabel;
  readonly weekday = weekdayShort;
  readonly balanceText = balanceText;
  private generation = 0;

  constructor() {
    effect(() => {
      this.businessId();
      this.shown();
      untracked(() => void this.load());
    });
  }

  /** The records of one account, by date. */
  daysOf(customerId: string): Delivery[] {
    return this.days().filter((d) => d.customer_id === customerId);
  }

  /** Whether the orders share one unit (a total quantity then means something). */
  oneUnit(orders: { unit: string }[]): boolean {
    return orders.every((o) => o.unit === orders[0]?.unit);
  }

  lastChange(d: Delivery): Change | null {
    return d.history.at(-1) ?? null;
  }

  go(n: number): void {
    this.pick(addMonths(this.shown(), n));
  }

  pick(month: string): void {
    if (!isMonth(month) || month === this.shown()) return;
    void this.router.navigate([], {
      queryParams: { month: month === this.thisMonth ? null : month },
      replaceUrl: true,
    });
  }

  async load(): Promise<void> {
    const mine = ++this.generation;
    const business_id = this.businessId();
    const month = this.shown();
    this.loading.set(true);
    this.error.set(null);
    this.notice.set(null);
    try {
      const [vendors, m, days] = await Promise.all([
        call(this.session.api.GET('/v1/vendors')),
        call(
          this.session.api.GET('/v1/vendors/{business_id}/months/{month}', {
            params: { path: { business_id, month } },
          }),
        ),
        call(this.session.api.GET('/v1/deliveries', { params: { query: { business_id, month } } })),
      ]);
      if (mine !== this.generation) return;
      const records = vendors.items.filter((v) => v.business_id === business_id);
      this.vendor.set(records[0] ?? null);
      this.balance.set(records.length ? records.reduce((sum, v) => sum + v.balance, 0) : null);
      if (
        records.map((v) => v.customer_id).join() !==
        this.accounts()
          .map((a) => a.customer_id)
          .join()
      ) {
        this.accounts.set(
          records.map((v) => ({ customer_id: v.customer_id, customer_name: v.customer_name })),
        );
      }
      this.data.set(m);
      this.days.set(
        [...days.items].sort(
          (a, b) => a.date.localeCompare(b.date) || a.item.localeCompare(b.item),
        ),
      );
    } catch (e) {
      if (mine !== this.generation) return;
      this.data.set(null);
      this.error.set(describe(e));
    } finally {
      if (mine === this.generation) this.loading.set(false);
    }
  }

  async correct(d: Delivery): Promise<void> {
    const ref = this.dialog.open<CorrectDelivery, Delivery, Delivery>(CorrectDelivery, {
      data: d,
      width: '480px',
      maxWidth: '95vw',
    });
    const updated = await new Promise<Delivery | undefined>((resolve) =>
      ref.afterClosed().subscribe(resolve),
    );
    if (!updated) return;
    await this.load();
    this.notice.set(
      `Corrected ${d.item} on ${indianDate(updated.date)}: the month's totals are updated and ${this.name()} sees your reason.`,
    );
  }

  async pdf(invoiceId: string, number: string | null | undefined): Promise<void> {
    this.pdfError.set(null);
    await openInNewTab(async () => {
      try {
        const link = await call(
          this.session.api.GET('/v1/vendors/{business_id}/invoices/{invoice_id}/pdf', {
            params: { path: { business_id: this.businessId(), invoice_id: invoiceId } },
          }),
        );
        return link.url;
      } catch (e) {
        this.pdfError.set(`The PDF of invoice ${number ?? ''} could not be opened: ${describe(e)}`);
        return null;
      }
    });
  }

  comments(d: Delivery): void {
    this.dialog.open(DeliveryComments, {
      data: { delivery: d, vendor: this.name() },
      width: '520px',
      maxWidth: '95vw',
    });
  }
}
