import { BreakpointObserver } from '@angular/cdk/layout';
import { Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import { MatSlideToggleChange, MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatTabsModule } from '@angular/material/tabs';
import { map } from 'rxjs';
import type { components } from '../../api/schema';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { Pager } from '../../core/pager';
import { call, describe } from '../../core/problem';
import { Session } from '../../core/session';
import { Confirm } from '../../shared/confirm';
import { ListState, PagedList } from '../../shared/list-state';
import { currentMonth, isMonth, monthName } from '../../core/dates';
import { balanceText, reminderText, undeliverableWarnings } from './customer-view';

type Customer = components['schemas']['Customer'];
type InvoiceSummary = components['schemas']['Page_InvoiceSummary']['items'][number];
type Payment = components['schemas']['Page_Payment']['items'][number];
type CustomerMonth = components['schemas']['CustomerMonth'];

/**
 * One customer (`/business/customers/:customerId`): what they owe, their
 * details, their invoices and payments, and their delivery totals of a
 * month; their payment reminders (on or off, stopped by themselves, contacts
 * that SMS or mail refused) and the messages sent to them; edit,
 * deactivate or reactivate, and bill them.
 */
@Component({
  selector: 'app-customer',
  imports: [
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatTableModule,
    MatSlideToggleModule,
    MatTabsModule,
    ListState,
    PagedList,
    ...FORMAT_PIPES,
  ],
  template: `
    <div class="page">
      <p><a routerLink="/business/customers">‹ Customers</a></p>
      <app-list-state [loading]="loading()" [error]="error()" (retry)="load()">
        @if (customer(); as c) {
          <div class="page-head">
            <h1>{{ c.name }}</h1>
            <span class="chip {{ c.status === 'active' ? 'active' : 'disabled' }}">{{
              c.status === 'active' ? 'Active' : 'Deactivated'
            }}</span>
            <div class="actions">
              @if (c.status === 'active') {
                <a
                  mat-flat-button
                  routerLink="/business/invoices/new"
                  [queryParams]="{ customer_id: c.id }"
                  >New invoice</a
                >
              }
              <a mat-stroked-button [routerLink]="['/business/customers', c.id, 'edit']">Edit</a>
              @if (c.status === 'active') {
                <button
                  mat-button
                  type="button"
                  class="danger"
                  (click)="deactivate(c)"
                  [disabled]="busy()"
                >
                  Deactivate
                </button>
              } @else {
                <button
                  mat-stroked-button
                  type="button"
                  (click)="reactivate(c)"
                  [disabled]="busy()"
                >
                  Reactivate
                </button>
              }
            </div>
          </div>
          @if (notice(); as n) {
            <p role="status" class="notice">{{ n }}</p>
          }
          @if (c.status === 'inactive') {
            <p class="notice inactive">
              Deactivated: this customer is not offered for new invoices or orders. Their records
              and balance stay.
            </p>
          }

          <section class="top">
            <mat-card
              appearance="outlined"
              class="balance"
              [class.owes]="c.balance > 0"
              [class.advance]="c.balance < 0"
            >
              <span class="muted">Balance</span>
              <span class="amount">{{ (c.balance < 0 ? -c.balance : c.balance) | rupees }}</span>
              <span>{{ balance().text }}</span>
              <a routerLink="/business/invoices" [queryParams]="{ customer_id: c.id }"
                >In the invoice list ›</a
              >
            </mat-card>
            <mat-card appearance="outlined" class="details">
              <dl>
                <dt>Phone</dt>
                <dd>
                  @if (c.phone) {
                    <a [href]="'tel:' + c.phone">{{ c.phone | phone }}</a>
                  } @else {
                    —
                  }
                </dd>
                <dt>Email</dt>
                <dd>{{ c.email ?? '—' }}</dd>
                <dt>GSTIN</dt>
                <dd class="mono">{{ c.gstin ?? '—' }}</dd>
                <dt>PAN</dt>
                <dd class="mono">{{ c.pan ?? '—' }}</dd>
                @if (c.business_type) {
                  <dt>Business</dt>
                  <dd>{{ c.business_type }}</dd>
                }
                @if (c.address) {
                  <dt>Address</dt>
                  <dd class="pre">{{ c.address }}</dd>
                }
                @if (c.contacts?.length) {
                  <dt>Contacts</dt>
                  <dd>
                    @for (p of c.contacts; track $index) {
                      <span class="contact"
                        >{{ p.name }}{{ p.role ? ' (' + p.role + ')' : '' }}
                        @if (p.phone) {
                          · <a [href]="'tel:' + p.phone">{{ p.phone | phone }}</a>
                        }
                      </span>
                    }
                  </dd>
                }
                @if (c.notes) {
                  <dt>Notes</dt>
                  <dd class="pre">{{ c.notes }}</dd>
                }
                <dt>Customer since</dt>
                <dd>{{ c.created_at | indianDate }}</dd>
              </dl>
            </mat-card>
          </section>

          <mat-card appearance="outlined" class="reminders">
            <div class="reminders-head">
              <h2 id="reminders-title">Payment reminders</h2>
              <mat-slide-toggle
                [checked]="!!c.reminders"
                (change)="setReminders(c, $event)"
                [disabled]="busy() || !!c.reminders_opted_out_at"
                aria-describedby="reminders-text"
                >Send reminders</mat-slide-toggle
              >
            </div>
            <p id="reminders-text" data-testid="reminders-text">{{ reminders() }}</p>
            @for (w of warnings(); track w) {
              <p class="warning" role="note">⚠ {{ w }}</p>
            }
            <p>
              <a [routerLink]="['/business/notifications']" [queryParams]="{ customer_id: c.id }"
                >Messages sent ›</a
              >
            </p>
          </mat-card>

          <mat-tab-group
            class="tabs"
            [selectedIndex]="tab()"
            (selectedIndexChange)="tab.set($event)"
            mat-stretch-tabs="false"
            animationDuration="0ms"
          >
            <mat-tab label="Invoices">
              <app-paged-list [pager]="invoices" emptyText="No invoices yet.">
                <div class="table-wrap">
                  <table
                    mat-table
                    [dataSource]="invoices.items()"
                    aria-label="Invoices of this customer"
                    [class.compact]="narrow()"
                  >
                    <ng-container matColumnDef="number">
                      <th mat-header-cell *matHeaderCellDef>Invoice</th>
                      <td mat-cell *matCellDef="let i">
                        <a [routerLink]="['/business/invoices', i.id]">{{ i.number ?? 'Draft' }}</a>
                        @if (narrow()) {
                          <span class="muted small">{{ i.invoice_date | indianDate }}</span>
                        }
                      </td>
                    </ng-container>
                    <ng-container matColumnDef="invoice_date">
                      <th mat-header-cell *matHeaderCellDef>Date</th>
                      <td mat-cell *matCellDef="let i">{{ i.invoice_date | indianDate }}</td>
                    </ng-container>
                    <ng-container matColumnDef="due_date">
                      <th mat-header-cell *matHeaderCellDef>Due</th>
                      <td mat-cell *matCellDef="let i">{{ i.due_date | indianDate }}</td>
                    </ng-container>
                    <ng-container matColumnDef="total">
                      <th mat-header-cell *matHeaderCellDef class="num">Total</th>
                      <td mat-cell *matCellDef="let i" class="num">{{ i.total | rupees }}</td>
                    </ng-container>
                    <ng-container matColumnDef="balance_due">
                      <th mat-header-cell *matHeaderCellDef class="num">Left to pay</th>
                      <td mat-cell *matCellDef="let i" class="num">{{ i.balance_due | rupees }}</td>
                    </ng-container>
                    <ng-container matColumnDef="status">
                      <th mat-header-cell *matHeaderCellDef>Status</th>
                      <td mat-cell *matCellDef="let i">
                        <span class="chip {{ i.status }}">{{ i.status | label }}</span>
                      </td>
                    </ng-container>
                    <tr mat-header-row *matHeaderRowDef="invoiceColumns()"></tr>
                    <tr mat-row *matRowDef="let i; columns: invoiceColumns()"></tr>
                  </table>
                </div>
              </app-paged-list>
            </mat-tab>

            <mat-tab label="Payments">
              <app-paged-list [pager]="payments" emptyText="No payments recorded yet.">
                <div class="table-wrap">
                  <table
                    mat-table
                    [dataSource]="payments.items()"
                    aria-label="Payments of this customer"
                    [class.compact]="narrow()"
                  >
                    <ng-container matColumnDef="date">
                      <th mat-header-cell *matHeaderCellDef>Date</th>
                      <td mat-cell *matCellDef="let p">
                        {{ p.date | indianDate }}
                        @if (narrow()) {
                          <span class="muted small">{{ p.method | label }}</span>
                        }
                      </td>
                    </ng-container>
                    <ng-container matColumnDef="amount">
                      <th mat-header-cell *matHeaderCellDef class="num">Amount</th>
                      <td
                        mat-cell
                        *matCellDef="let p"
                        class="num"
                        [class.voided]="p.status === 'voided'"
                      >
                        {{ p.amount | rupees }}
                      </td>
                    </ng-container>
                    <ng-container matColumnDef="method">
                      <th mat-header-cell *matHeaderCellDef>How</th>
                      <td mat-cell *matCellDef="let p">
                        {{ p.method | label }}{{ p.reference ? ' · ' + p.reference : '' }}
                      </td>
                    </ng-container>
                    <ng-container matColumnDef="applied">
                      <th mat-header-cell *matHeaderCellDef>Applied to</th>
                      <td mat-cell *matCellDef="let p">
                        @for (a of p.allocations; track a.invoice_id) {
                          <span class="alloc"
                            ><a [routerLink]="['/business/invoices', a.invoice_id]">{{
                              a.invoice_number ?? 'Invoice'
                            }}</a>
                            {{ a.amount | rupees }}</span
                          >
                        }
                        @if (p.advance) {
                          <span class="alloc">Advance {{ p.advance | rupees }}</span>
                        }
                      </td>
                    </ng-container>
                    <ng-container matColumnDef="status">
                      <th mat-header-cell *matHeaderCellDef>Status</th>
                      <td mat-cell *matCellDef="let p">
                        <span class="chip {{ p.status === 'voided' ? 'disabled' : 'active' }}">{{
                          p.status | label
                        }}</span>
                      </td>
                    </ng-container>
                    <tr mat-header-row *matHeaderRowDef="paymentColumns()"></tr>
                    <tr mat-row *matRowDef="let p; columns: paymentColumns()"></tr>
                  </table>
                </div>
              </app-paged-list>
            </mat-tab>

            <mat-tab label="Deliveries">
              <form class="filters month-pick" (ngSubmit)="loadMonth()" aria-label="Month">
                <mat-form-field appearance="outline" subscriptSizing="dynamic">
                  <mat-label>Month</mat-label>
                  <input
                    matInput
                    type="month"
                    name="month"
                    [(ngModel)]="month"
                    (change)="loadMonth()"
                    [max]="thisMonth"
                    required
                  />
                </mat-form-field>
                <button
                  mat-button
                  type="button"
                  (click)="shiftMonth(-1)"
                  aria-label="Previous month"
                >
                  ‹ Previous
                </button>
                <button
                  mat-button
                  type="button"
                  (click)="shiftMonth(1)"
                  [disabled]="month >= thisMonth"
                  aria-label="Next month"
                >
                  Next ›
                </button>
              </form>
              <app-list-state
                [loading]="monthLoading()"
                [error]="monthError()"
                (retry)="loadMonth()"
              >
                @if (monthData(); as m) {
                  <h2>
                    {{ monthTitleOf(m.month) }} ·
                    <span class="chip {{ m.status === 'open' ? 'open' : 'paid' }}">{{
                      m.status | label
                    }}</span>
                  </h2>
                  @if (m.orders.length) {
                    <div class="table-wrap">
                      <table
                        class="plain"
                        [attr.aria-label]="'Deliveries of ' + monthTitleOf(m.month)"
                      >
                        <thead>
                          <tr>
                            <th scope="col">Item</th>
                            <th scope="col" class="num">Quantity</th>
                            <th scope="col" class="num">Days delivered</th>
                            <th scope="col" class="num">Days skipped</th>
                            <th scope="col" class="num">Amount</th>
                          </tr>
                        </thead>
                        <tbody>
                          @for (o of m.orders; track o.order_id) {
                            <tr>
                              <th scope="row">{{ o.item }}</th>
                              <td class="num">{{ o.quantity }} {{ o.unit }}</td>
                              <td class="num">{{ o.delivered_days }}</td>
                              <td class="num">{{ o.skipped_days }}</td>
                              <td class="num">{{ o.amount | rupees }}</td>
                            </tr>
                          }
                        </tbody>
                        <tfoot>
                          <tr>
                            <th scope="row">Month</th>
                            <td class="num">{{ m.quantity }}</td>
                            <td class="num">{{ m.active_days }}</td>
                            <td class="num">{{ m.skipped_days }}</td>
                            <td class="num">{{ m.amount | rupees }}</td>
                          </tr>
                        </tfoot>
                      </table>
                    </div>
                    <p class="muted">
                      Amounts before GST. Days delivered counts days with at least one delivery.
                    </p>
                  } @else {
                    <p class="muted">
                      No deliveries recorded for this customer in {{ monthTitleOf(m.month) }}.
                    </p>
                  }
                  @if (m.invoice; as inv) {
                    <p>
                      Billed as
                      <a [routerLink]="['/business/invoices', inv.id]">{{
                        inv.number ?? 'an invoice'
                      }}</a>: {{ inv.total | rupees }}, {{ inv.balance_due | rupees }} left to pay ·
                      <span class="chip {{ inv.status }}">{{ inv.status | label }}</span>
                    </p>
                  }
                }
              </app-list-state>
            </mat-tab>
          </mat-tab-group>
        }
      </app-list-state>
    </div>
  `,
  styles: `
    .top {
      display: grid;
      grid-template-columns: minmax(220px, 1fr) 2fr;
      gap: 12px;
      margin-bottom: 12px;
    }
    @media (max-width: 700px) {
      .top {
        grid-template-columns: 1fr;
      }
    }
    .balance {
      padding: 16px;
      display: flex;
      flex-direction: column;
      gap: 4px;
      border-left: 6px solid var(--mat-sys-outline);
    }
    .balance.owes {
      border-left-color: var(--mat-sys-error);
    }
    .balance.advance {
      border-left-color: #2e7d32;
    }
    .balance .amount {
      font-size: 1.8rem;
      font-weight: 500;
      font-variant-numeric: tabular-nums;
    }
    .details {
      padding: 12px 16px;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 4px 16px;
      margin: 0;
    }
    dt {
      color: var(--mat-sys-on-surface-variant);
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .pre {
      white-space: pre-line;
    }
    .mono {
      font-family: ui-monospace, monospace;
    }
    .contact,
    .alloc,
    .small {
      display: block;
    }
    .small {
      font-size: 0.8rem;
    }
    .danger {
      color: var(--mat-sys-error);
    }
    .notice.inactive {
      background: #fde2e1;
      color: #8c1d18;
    }
    .tabs {
      margin-top: 8px;
    }
    .reminders {
      padding: 8px 16px;
      margin-bottom: 12px;
    }
    .reminders-head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 16px;
    }
    .reminders h2 {
      margin: 0;
      flex: 1 1 auto;
    }
    .reminders p {
      margin: 4px 0;
    }
    .warning {
      background: #fff1c7;
      color: #6b4e00;
      padding: 6px 10px;
      border-radius: 6px;
    }
    /* Three tabs fit a 360 px phone without scroll arrows. */
    @media (max-width: 600px) {
      :host ::ng-deep .tabs .mdc-tab {
        padding: 0 12px;
        min-width: 0;
        flex-grow: 1;
      }
    }
    .month-pick {
      margin: 12px 0 4px;
      align-items: center;
    }
    h2 {
      font-size: 1.1rem;
      font-weight: 500;
      margin: 12px 0 8px;
    }
    table.mat-mdc-table {
      width: 100%;
    }
    table.compact {
      min-width: 0;
    }
    table.compact td,
    table.compact th {
      padding: 0 8px;
    }
    .voided {
      text-decoration: line-through;
    }
    .chip.overdue {
      background: #fde2e1;
      color: #8c1d18;
    }
    .chip.partially_paid,
    .chip.unpaid {
      background: #fff1c7;
      color: #6b4e00;
    }
    table.plain {
      width: 100%;
      min-width: 520px;
      border-collapse: collapse;
      font-variant-numeric: tabular-nums;
    }
    table.plain th,
    table.plain td {
      padding: 8px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      text-align: left;
      font-weight: normal;
    }
    table.plain thead th {
      color: var(--mat-sys-on-surface-variant);
      font-size: 0.85rem;
    }
    table.plain tfoot th,
    table.plain tfoot td {
      font-weight: 500;
    }
    table.plain .num {
      text-align: right;
    }
  `,
})
export class CustomerPage {
  private readonly session = inject(Session);
  private readonly confirm = inject(Confirm);

  readonly customerId = input.required<string>();
  readonly customer = signal<Customer | null>(null);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly busy = signal(false);
  /** What just happened: set by the form that sent us here (router state), or by an action. */
  readonly notice = signal<string | null>(
    (history.state as { notice?: string } | null)?.notice ?? null,
  );
  readonly tab = signal(0);

  readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 600px)')
      .pipe(map((s) => s.matches)),
    { initialValue: false },
  );
  readonly invoiceColumns = computed(() =>
    this.narrow()
      ? ['number', 'balance_due', 'status']
      : ['number', 'invoice_date', 'due_date', 'total', 'balance_due', 'status'],
  );
  readonly paymentColumns = computed(() =>
    this.narrow()
      ? ['date', 'amount', 'applied']
      : ['date', 'amount', 'method', 'applied', 'status'],
  );
  readonly balance = computed(() => balanceText(this.customer()?.balance ?? 0));
  readonly reminders = computed(() => reminderText(this.customer() ?? {}));
  readonly warnings = computed(() => undeliverableWarnings(this.customer() ?? {}));

  readonly invoices = new Pager<InvoiceSummary>((cursor) =>
    call(
      this.session.api.GET('/v1/customers/{customer_id}/invoices', {
        params: { path: { customer_id: this.customerId() }, query: { cursor, limit: 25 } },
      }),
    ),
  );
  readonly payments = new Pager<Payment>((cursor) =>
    call(
      this.session.api.GET('/v1/customers/{customer_id}/payments', {
        params: { path: { customer_id: this.customerId() }, query: { cursor, limit: 25 } },
      }),
    ),
  );

  readonly thisMonth = currentMonth();
  month = this.thisMonth;
  readonly monthData = signal<CustomerMonth | null>(null);
  readonly monthLoading = signal(false);
  readonly monthError = signal<string | null>(null);
  private monthGeneration = 0;

  constructor() {
    // Shown once: a reload of the page does not repeat it.
    if (this.notice())
      history.replaceState({ ...(history.state as object), notice: undefined }, '');
    effect(() => {
      this.customerId();
      untracked(() => {
        void this.load();
        void this.invoices.reload();
        void this.payments.reload();
        void this.loadMonth();
      });
    });
  }

  monthTitleOf(month: string): string {
    return monthName(month);
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      this.customer.set(
        await call(
          this.session.api.GET('/v1/customers/{customer_id}', {
            params: { path: { customer_id: this.customerId() } },
          }),
        ),
      );
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  shiftMonth(n: number): void {
    const [y, m] = this.month.split('-').map(Number);
    const d = new Date(Date.UTC(y, m - 1 + n, 1));
    this.month = d.toISOString().slice(0, 7);
    void this.loadMonth();
  }

  async loadMonth(): Promise<void> {
    if (!isMonth(this.month)) return;
    const mine = ++this.monthGeneration;
    this.monthLoading.set(true);
    this.monthError.set(null);
    try {
      const m = await call(
        this.session.api.GET('/v1/customers/{customer_id}/months/{month}', {
          params: { path: { customer_id: this.customerId(), month: this.month } },
        }),
      );
      if (mine === this.monthGeneration) this.monthData.set(m);
    } catch (e) {
      if (mine === this.monthGeneration) {
        this.monthData.set(null);
        this.monthError.set(describe(e));
      }
    } finally {
      if (mine === this.monthGeneration) this.monthLoading.set(false);
    }
  }

  async deactivate(c: Customer): Promise<void> {
    const answer = await this.confirm.ask({
      title: `Deactivate ${c.name}?`,
      message:
        c.balance > 0
          ? `They still owe you ${balanceText(c.balance).amount}. Deactivating keeps their invoices and balance, but they are no longer offered for new invoices. You can reactivate them later.`
          : 'Their invoices and payments stay, but they are no longer offered for new invoices. You can reactivate them later.',
      action: 'Deactivate',
      destructive: true,
    });
    if (!answer) return;
    await this.act(async () => {
      await call(
        this.session.api.DELETE('/v1/customers/{customer_id}', {
          params: { path: { customer_id: c.id } },
        }),
      );
      await this.load();
      return `${c.name} is deactivated.`;
    });
  }

  async reactivate(c: Customer): Promise<void> {
    await this.act(async () => {
      const saved = await call(
        this.session.api.PATCH('/v1/customers/{customer_id}', {
          params: { path: { customer_id: c.id } },
          body: { status: 'active', version: c.version },
        }),
      );
      this.customer.set(saved);
      return `${c.name} is active again.`;
    });
  }

  /** Turns this customer's payment reminders on or off (409 when they stopped them themselves). */
  async setReminders(c: Customer, change: MatSlideToggleChange): Promise<void> {
    const on = change.checked;
    await this.act(async () => {
      const saved = await call(
        this.session.api.PATCH('/v1/customers/{customer_id}', {
          params: { path: { customer_id: c.id } },
          body: { reminders: on, version: c.version },
        }),
      );
      this.customer.set(saved);
      return on
        ? `${c.name} gets payment reminders again.`
        : `${c.name} gets no more payment reminders.`;
    });
    // Refused: the switch shows what is stored again.
    change.source.checked = !!this.customer()?.reminders;
  }

  private async act(work: () => Promise<string>): Promise<void> {
    this.busy.set(true);
    this.notice.set(null);
    try {
      this.notice.set(await work());
    } catch (e) {
      this.notice.set(describe(e));
      await this.load();
    } finally {
      this.busy.set(false);
    }
  }
}
