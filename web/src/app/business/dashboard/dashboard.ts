import { Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatSelectModule } from '@angular/material/select';
import { ChartConfiguration } from 'chart.js';
import { BaseChartDirective } from 'ng2-charts';
import type { components } from '../../api/schema';
import { indianDate } from '../../core/format';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { call, describe } from '../../core/problem';
import { Session } from '../../core/session';
import { ListState } from '../../shared/list-state';
import { periodLabel, shortRupees, tooltipLine } from './chart-format';
import { saveFile } from '../../core/files';
import {
  DateRange,
  PRESETS,
  Preset,
  agingInvoices,
  dayCount,
  invoicesOf,
  monthStart,
  rangeText,
  resolveRange,
  todayIn,
} from './range';

type Dashboard = components['schemas']['Dashboard'];
type SalesPoint = components['schemas']['SalesPoint'];
type SalesReport = components['schemas']['SalesReport'];

/** Longest range shown day by day; longer ones are shown by month. */
const DAILY_UP_TO = 92;
/** The status breakdown in the order a shopkeeper reads it (drafts and cancelled ones do not count in sales). */
const STATUS_ORDER = [
  'overdue',
  'unpaid',
  'partially_paid',
  'disputed',
  'paid',
  'draft',
  'cancelled',
];

/**
 * The business's home (`/business`): revenue, received, pending and
 * overdue for a chosen period (`GET /v1/reports/dashboard`), sales by day
 * and by month as charts, the invoices by status, who owes the most and
 * the aging of what is owed. Each figure links to the invoices behind it.
 * The period is in the address (`?range=this_fy`, or `?from=…&to=…`).
 */
@Component({
  selector: 'app-business-dashboard',
  imports: [
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatMenuModule,
    MatSelectModule,
    BaseChartDirective,
    ListState,
    ...FORMAT_PIPES,
  ],
  template: `
    <div class="page">
      <div class="page-head">
        <h1>Dashboard</h1>
        <div class="actions">
          <a mat-flat-button routerLink="/business/invoices/new">New invoice</a>
          <a mat-stroked-button routerLink="/business/customers/new">Add customer</a>
          <button mat-button type="button" [matMenuTriggerFor]="exports" [disabled]="!data()">
            Download CSV ▾
          </button>
          <mat-menu #exports="matMenu">
            <button mat-menu-item type="button" (click)="download('sales')">Sales by day</button>
            <button mat-menu-item type="button" (click)="download('invoices')">
              Invoices of the period
            </button>
            <button mat-menu-item type="button" (click)="download('top')">Top debtors</button>
            <button mat-menu-item type="button" (click)="download('aging')">Aging</button>
          </mat-menu>
        </div>
      </div>

      <form class="filters period" (ngSubmit)="applyCustom()" aria-label="Choose the period">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Period</mat-label>
          <mat-select name="preset" [ngModel]="resolved().preset" (ngModelChange)="choose($event)">
            @for (p of presets; track p.value) {
              <mat-option [value]="p.value">{{ p.text }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        @if (resolved().preset === 'custom') {
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>First day</mat-label>
            <input
              matInput
              type="date"
              name="from"
              [(ngModel)]="customFrom"
              [max]="today"
              required
            />
          </mat-form-field>
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>Last day</mat-label>
            <input matInput type="date" name="to" [(ngModel)]="customTo" [max]="today" required />
          </mat-form-field>
          <button mat-stroked-button type="submit">Show</button>
        }
      </form>
      @if (resolved().problem; as p) {
        <p class="error-text" role="alert">{{ p }} Showing this month.</p>
      }
      <p class="muted period-text">
        {{ periodText() }}
        @if (data(); as d) {
          · {{ d.invoice_count }} {{ d.invoice_count === 1 ? 'invoice' : 'invoices' }} · overdue as
          of {{ d.as_of | indianDate }}
        }
      </p>

      <app-list-state [loading]="loading()" [error]="error()" (retry)="load()">
        @if (data(); as d) {
          <section class="cards figures" aria-label="Figures of the period">
            @for (f of figures(); track f.key) {
              <a
                class="figure-card {{ f.key }}"
                [routerLink]="'/business/invoices'"
                [queryParams]="f.query"
              >
                <span class="what">{{ f.label }}</span>
                <span class="amount">{{ f.amount | rupees }}</span>
                <span class="muted hint">{{ f.hint }} ›</span>
              </a>
            }
          </section>
          @if (hasStock()) {
            <section class="cards figures stock" aria-label="Stock and margin of the period">
              <a class="figure-card stock-value" routerLink="/business/stock">
                <span class="what">Stock value</span>
                <span class="amount">{{ d.stock_value | rupees }}</span>
                <span class="muted hint">On hand now, at cost ›</span>
              </a>
              <a
                class="figure-card"
                routerLink="/business/stock/receipts"
                [queryParams]="{ from: d.from, to: d.to }"
              >
                <span class="what">Cost of goods sold</span>
                <span class="amount">{{ d.cost_of_goods | rupees }}</span>
                <span class="muted hint">Bought {{ d.purchased | rupees }} in the period ›</span>
              </a>
              <div class="figure-card margin" [class.loss]="d.gross_margin < 0">
                <span class="what">Gross margin</span>
                <span class="amount">{{ d.gross_margin | rupees }}</span>
                <span class="muted hint">{{ marginText() }}</span>
              </div>
              <a
                class="figure-card low"
                [class.alert]="d.low_stock_count > 0"
                routerLink="/business/stock"
                [queryParams]="{ low: 'true' }"
              >
                <span class="what">Low on stock</span>
                <span class="amount">{{ d.low_stock_count }}</span>
                <span class="muted hint"
                  >{{ d.low_stock_count === 1 ? 'product' : 'products' }} to reorder ›</span
                >
              </a>
            </section>
          }

          @if (empty()) {
            <mat-card appearance="outlined" class="start">
              <h2>Nothing billed in this period</h2>
              <p class="muted">
                Add your customers, then create invoices or record daily deliveries: what you are
                owed, and since when, shows here.
              </p>
              <div class="actions">
                <a mat-flat-button routerLink="/business/customers/new">Add a customer</a>
                <a mat-stroked-button routerLink="/business/invoices/new">Create an invoice</a>
                <button mat-button type="button" (click)="choose('last_12_months')">
                  Look at the last 12 months
                </button>
              </div>
            </mat-card>
          }

          <section class="charts">
            <mat-card appearance="outlined">
              <mat-card-header>
                <mat-card-title
                  ><h2>{{ daily() ? 'Sales by day' : 'Sales by month' }}</h2></mat-card-title
                >
                <mat-card-subtitle>Invoiced and received, {{ periodText() }}</mat-card-subtitle>
              </mat-card-header>
              <mat-card-content>
                <div class="chart">
                  <canvas
                    baseChart
                    type="bar"
                    [data]="periodChart()"
                    [options]="barOptions"
                    role="img"
                    [attr.aria-label]="
                      (daily() ? 'Sales by day' : 'Sales by month') + ', ' + periodText()
                    "
                  ></canvas>
                </div>
                <ul class="sr-only">
                  @for (p of periodPoints(); track p.period) {
                    @if (p.invoiced || p.received) {
                      <li>
                        {{ pointText(p.period) }}: invoiced {{ p.invoiced | rupees }}, received
                        {{ p.received | rupees }}
                      </li>
                    }
                  }
                </ul>
              </mat-card-content>
            </mat-card>
            <mat-card appearance="outlined">
              <mat-card-header>
                <mat-card-title><h2>Last 12 months</h2></mat-card-title>
                <mat-card-subtitle>Invoiced and received each month</mat-card-subtitle>
              </mat-card-header>
              <mat-card-content>
                <div class="chart">
                  <canvas
                    baseChart
                    type="bar"
                    [data]="yearChart()"
                    [options]="barOptions"
                    role="img"
                    aria-label="Sales by month, last 12 months"
                  ></canvas>
                </div>
                <ul class="sr-only">
                  @for (p of months(); track p.period) {
                    <li>
                      {{ pointText(p.period) }}: invoiced {{ p.invoiced | rupees }}, received
                      {{ p.received | rupees }}
                    </li>
                  }
                </ul>
              </mat-card-content>
            </mat-card>
          </section>

          <section class="tables">
            <mat-card appearance="outlined">
              <mat-card-header
                ><mat-card-title><h2>Invoices by status</h2></mat-card-title></mat-card-header
              >
              <mat-card-content>
                <div class="scroll">
                  <table class="plain" aria-label="Invoices of the period by status">
                    <thead>
                      <tr>
                        <th scope="col">Status</th>
                        <th scope="col" class="num">Invoices</th>
                        <th scope="col" class="num wide-only">Total</th>
                        <th scope="col" class="num">Left to pay</th>
                      </tr>
                    </thead>
                    <tbody>
                      @for (s of statuses(); track s.status) {
                        <tr>
                          <th scope="row">
                            <a routerLink="/business/invoices" [queryParams]="statusQuery(s.status)"
                              ><span class="chip {{ s.status }}">{{ s.status | label }}</span></a
                            >
                          </th>
                          <td class="num">{{ s.count }}</td>
                          <td class="num wide-only">{{ s.amount | rupees }}</td>
                          <td class="num">{{ s.balance | rupees }}</td>
                        </tr>
                      }
                    </tbody>
                  </table>
                </div>
              </mat-card-content>
            </mat-card>

            <mat-card appearance="outlined">
              <mat-card-header>
                <mat-card-title><h2>Who owes the most</h2></mat-card-title>
                <mat-card-subtitle>Balances today</mat-card-subtitle>
              </mat-card-header>
              <mat-card-content>
                @if (d.top_customers.length) {
                  <table class="plain" aria-label="Customers who owe the most">
                    <thead>
                      <tr>
                        <th scope="col">Customer</th>
                        <th scope="col" class="num">Owes</th>
                      </tr>
                    </thead>
                    <tbody>
                      @for (c of d.top_customers; track c.customer_id) {
                        <tr>
                          <th scope="row">
                            <a [routerLink]="['/business/customers', c.customer_id]">{{
                              c.name
                            }}</a>
                            @if (c.phone) {
                              <span class="muted small">{{ c.phone | phone }}</span>
                            }
                          </th>
                          <td class="num">{{ c.balance | rupees }}</td>
                        </tr>
                      }
                    </tbody>
                  </table>
                } @else {
                  <p class="muted">No customer owes you anything.</p>
                }
              </mat-card-content>
            </mat-card>

            <mat-card appearance="outlined">
              <mat-card-header>
                <mat-card-title><h2>Aging</h2></mat-card-title>
                <mat-card-subtitle
                  >All that is owed today, by days past the due date</mat-card-subtitle
                >
              </mat-card-header>
              <mat-card-content>
                <table class="plain" aria-label="Aging of what is owed">
                  <thead>
                    <tr>
                      <th scope="col">Days past due</th>
                      <th scope="col" class="num">Invoices</th>
                      <th scope="col" class="num">Owed</th>
                    </tr>
                  </thead>
                  <tbody>
                    @for (b of aging(); track b.bucket) {
                      <tr>
                        <th scope="row">
                          @if (b.query && b.count) {
                            <a routerLink="/business/invoices" [queryParams]="b.query">{{
                              b.text
                            }}</a>
                          } @else {
                            {{ b.text }}
                          }
                        </th>
                        <td class="num">{{ b.count }}</td>
                        <td class="num">{{ b.amount | rupees }}</td>
                      </tr>
                    }
                  </tbody>
                  <tfoot>
                    <tr>
                      <th scope="row">Total</th>
                      <td class="num">{{ d.aging.total_count }}</td>
                      <td class="num">{{ d.aging.total_amount | rupees }}</td>
                    </tr>
                  </tfoot>
                </table>
              </mat-card-content>
            </mat-card>
          </section>
        }
      </app-list-state>
      @if (downloadError(); as m) {
        <p class="error-text" role="alert">{{ m }}</p>
      }
    </div>
  `,
  styles: `
    .period {
      margin-bottom: 4px;
    }
    .period-text {
      margin: 4px 0 12px;
    }
    .figures {
      grid-template-columns: repeat(auto-fit, minmax(200px, 1fr));
    }
    .figure-card {
      display: flex;
      flex-direction: column;
      gap: 4px;
      padding: 16px;
      border-radius: 12px;
      text-decoration: none;
      color: inherit;
      border: 1px solid var(--mat-sys-outline-variant);
      background: var(--mat-sys-surface);
      border-left: 6px solid var(--mat-sys-primary);
    }
    .figure-card:hover {
      background: var(--mat-sys-surface-container-low);
    }
    .figure-card:focus-visible {
      outline: 3px solid var(--mat-sys-primary);
      outline-offset: 2px;
    }
    .figure-card.received {
      border-left-color: #2e7d32;
    }
    .figure-card.pending {
      border-left-color: #8a6100;
    }
    .figure-card.overdue {
      border-left-color: var(--mat-sys-error);
    }
    .figure-card.overdue .amount {
      color: var(--mat-sys-error);
    }
    .figures.stock {
      margin-top: 12px;
    }
    .figure-card.stock-value {
      border-left-color: #5e35b1;
    }
    .figure-card.margin {
      border-left-color: #2e7d32;
    }
    .figure-card.margin.loss .amount {
      color: var(--mat-sys-error);
    }
    .figure-card.low {
      border-left-color: var(--mat-sys-outline);
    }
    .figure-card.low.alert {
      border-left-color: #c89400;
      background: #fff8e1;
    }
    .what {
      font-weight: 500;
    }
    .amount {
      font-size: 1.6rem;
      font-weight: 500;
      font-variant-numeric: tabular-nums;
      overflow-wrap: anywhere;
    }
    .hint {
      font-size: 0.85rem;
    }
    .start {
      padding: 16px;
      margin-top: 12px;
    }
    .charts,
    .tables {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr));
      gap: 12px;
      margin-top: 12px;
    }
    .tables {
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 340px), 1fr));
    }
    .chart {
      position: relative;
      height: 260px;
    }
    h2 {
      font-size: 1.1rem;
      font-weight: 500;
      margin: 0;
    }
    table.plain {
      width: 100%;
      border-collapse: collapse;
      font-variant-numeric: tabular-nums;
    }
    table.plain th,
    table.plain td {
      padding: 8px 4px;
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
      border-bottom: 0;
    }
    table.plain .num {
      text-align: right;
    }
    .small {
      display: block;
      font-size: 0.8rem;
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
    .scroll {
      overflow-x: auto;
      container-type: inline-size;
    }
    @container (max-width: 380px) {
      .wide-only {
        display: none;
      }
    }
    @media (max-width: 600px) {
      .figures {
        grid-template-columns: 1fr 1fr;
        gap: 8px;
      }
      .figure-card {
        padding: 10px 10px 10px 12px;
        border-left-width: 4px;
      }
      .amount {
        font-size: 1.1rem;
      }
      .hint {
        font-size: 0.75rem;
      }
    }
  `,
})
export class BusinessDashboard {
  private readonly session = inject(Session);
  private readonly router = inject(Router);

  /** `?range=` a preset; or `?from=&to=` custom dates. */
  readonly range = input<string>();
  readonly from = input<string>();
  readonly to = input<string>();

  readonly presets = PRESETS;
  readonly today = todayIn();
  customFrom = '';
  customTo = '';

  readonly resolved = computed(() =>
    resolveRange({ range: this.range(), from: this.from(), to: this.to() }, this.today),
  );
  readonly data = signal<Dashboard | null>(null);
  readonly months = signal<SalesPoint[]>([]);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly downloadError = signal<string | null>(null);
  private generation = 0;

  readonly periodText = computed(() => rangeText(this.data() ?? this.resolved().range, indianDate));
  readonly daily = computed(() => dayCount(this.data() ?? this.resolved().range) <= DAILY_UP_TO);
  readonly periodPoints = computed(() => {
    const d = this.data();
    if (!d) return [];
    return this.daily() ? d.sales_by_day : d.sales_by_month;
  });
  readonly empty = computed(() => {
    const d = this.data();
    return !!d && d.invoice_count === 0 && d.received === 0 && d.aging.total_count === 0;
  });

  readonly figures = computed(() => {
    const d = this.data();
    if (!d) return [];
    const range: DateRange = { from: d.from, to: d.to };
    const payments = d.sales_by_day.reduce((n, p) => n + p.payments, 0);
    return [
      {
        key: 'revenue',
        label: 'Revenue',
        amount: d.revenue,
        hint: `Invoiced · ${d.invoice_count} ${d.invoice_count === 1 ? 'invoice' : 'invoices'}`,
        query: invoicesOf(range),
      },
      {
        key: 'received',
        label: 'Received',
        amount: d.received,
        hint: `${payments} ${payments === 1 ? 'payment' : 'payments'} · paid invoices`,
        query: invoicesOf(range, 'paid'),
      },
      {
        key: 'pending',
        label: 'Pending',
        amount: d.pending,
        hint: 'Still owed on them',
        query: invoicesOf(range),
      },
      {
        key: 'overdue',
        label: 'Overdue',
        amount: d.overdue,
        hint: 'Past the due date',
        query: invoicesOf(range, 'overdue'),
      },
    ];
  });

  /** Whether the business keeps stock: the stock figures show only then. */
  readonly hasStock = computed(() => {
    const d = this.data();
    return !!d && (!!d.stock_value || !!d.low_stock_count || !!d.cost_of_goods || !!d.purchased);
  });
  /** The margin as a share of what the stock-tracked goods sold for. */
  readonly marginText = computed(() => {
    const d = this.data();
    const cost = d?.cost_of_goods ?? 0;
    const margin = d?.gross_margin ?? 0;
    const sales = cost + margin;
    if (!sales) return 'On stock-tracked goods sold';
    return `${((margin / sales) * 100).toFixed(1)} % of their sales, before tax`;
  });

  readonly statuses = computed(() => {
    const rows = this.data()?.by_status ?? [];
    return [...rows].sort(
      (a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status),
    );
  });

  readonly aging = computed(() => {
    const d = this.data();
    if (!d) return [];
    return d.aging.buckets.map((b) => ({
      ...b,
      text: b.bucket === 'current' ? 'Not yet due' : `${b.bucket} days`,
      query: agingInvoices(b.bucket, d.aging.as_of),
    }));
  });

  readonly barOptions: ChartConfiguration<'bar'>['options'] = {
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'index', intersect: false },
    plugins: {
      legend: { position: 'bottom' },
      tooltip: { callbacks: { label: (ctx) => tooltipLine(ctx.dataset.label, ctx.parsed.y ?? 0) } },
    },
    scales: {
      x: { ticks: { autoSkip: true, maxRotation: 0 } },
      y: { beginAtZero: true, ticks: { callback: (v) => shortRupees(Number(v) * 100) } },
    },
  };

  readonly periodChart = computed(() => this.chart(this.periodPoints()));
  readonly yearChart = computed(() => this.chart(this.months()));

  constructor() {
    effect(() => {
      const { range } = this.resolved();
      untracked(() => {
        this.customFrom = this.from() ?? range.from;
        this.customTo = this.to() ?? range.to;
        void this.load();
      });
    });
  }

  statusQuery(status: string) {
    const d = this.data();
    return d ? invoicesOf({ from: d.from, to: d.to }, status) : { status };
  }

  /** A day as `5 Nov 2026`, a month as `Nov 2026` (for screen readers). */
  pointText(period: string): string {
    return period.length === 10 ? indianDate(period) : periodLabel(period);
  }

  choose(preset: Preset): void {
    if (preset === 'custom') {
      const { range } = this.resolved();
      void this.router.navigate([], {
        queryParams: { range: 'custom', from: range.from, to: range.to },
      });
      return;
    }
    void this.router.navigate([], {
      queryParams: { range: preset === 'this_month' ? null : preset },
    });
  }

  applyCustom(): void {
    void this.router.navigate([], {
      queryParams: { range: 'custom', from: this.customFrom || null, to: this.customTo || null },
    });
  }

  async load(): Promise<void> {
    const mine = ++this.generation;
    const { range } = this.resolved();
    this.loading.set(true);
    this.error.set(null);
    try {
      const [dashboard, sales] = await Promise.all([
        call(
          this.session.api.GET('/v1/reports/dashboard', {
            params: { query: { from: range.from, to: range.to } },
          }),
        ),
        this.months().length
          ? Promise.resolve(null)
          : call(
              this.session.api.GET('/v1/reports/sales', {
                params: {
                  query: { from: monthStart(this.today, -11), to: this.today, interval: 'month' },
                },
              }),
            ),
      ]);
      if (mine !== this.generation) return;
      this.data.set(dashboard);
      // The JSON answer of the sales report is not in the OpenAPI document (only its CSV is).
      if (sales) this.months.set((sales as unknown as SalesReport).points);
    } catch (e) {
      if (mine !== this.generation) return;
      this.error.set(describe(e));
    } finally {
      if (mine === this.generation) this.loading.set(false);
    }
  }

  async download(what: 'sales' | 'invoices' | 'top' | 'aging'): Promise<void> {
    const d = this.data();
    if (!d) return;
    this.downloadError.set(null);
    const api = this.session.api;
    const range = { from: d.from, to: d.to };
    try {
      let blob: Blob;
      switch (what) {
        case 'sales':
          blob = await call(
            api.GET('/v1/reports/sales', {
              params: { query: { ...range, interval: 'day', format: 'csv' } },
              parseAs: 'blob',
            }),
          );
          break;
        case 'invoices':
          blob = await call(
            api.GET('/v1/reports/invoices', {
              params: { query: { ...range, format: 'csv', limit: 1000 } },
              parseAs: 'blob',
            }),
          );
          break;
        case 'top':
          blob = await call(
            api.GET('/v1/reports/top-customers', {
              params: { query: { limit: 100, format: 'csv' } },
              parseAs: 'blob',
            }),
          );
          break;
        case 'aging':
          blob = await call(
            api.GET('/v1/reports/aging', { params: { query: { format: 'csv' } }, parseAs: 'blob' }),
          );
          break;
      }
      const names = {
        sales: `sales-${d.from}-to-${d.to}`,
        invoices: `invoices-${d.from}-to-${d.to}`,
        top: `top-debtors-${d.as_of}`,
        aging: `aging-${d.as_of}`,
      };
      saveFile(blob, `${names[what]}.csv`);
    } catch (e) {
      this.downloadError.set(describe(e));
    }
  }

  private chart(points: readonly SalesPoint[]): ChartConfiguration<'bar'>['data'] {
    return {
      labels: points.map((p) => periodLabel(p.period)),
      datasets: [
        {
          data: points.map((p) => p.invoiced / 100),
          label: 'Invoiced',
          backgroundColor: '#005cbb',
        },
        {
          data: points.map((p) => p.received / 100),
          label: 'Received',
          backgroundColor: '#2e7d32',
        },
      ],
    };
  }
}
