import { Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import { ChartConfiguration } from 'chart.js';
import { BaseChartDirective } from 'ng2-charts';
import type { components } from '../../api/schema';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { Pager } from '../../core/pager';
import { call, describe } from '../../core/problem';
import { Session } from '../../core/session';
import { ListState, PagedList } from '../../shared/list-state';
import { BusinessCalendar, addMonths, daysOfMonth, isMonth, monthName, monthOf, qty } from './days';
import { DeliveriesNav } from './nav';

type BusinessMonth = components['schemas']['BusinessMonth'];
type Customer = components['schemas']['Customer'];

/**
 * The business's month (`/business/deliveries/months/:month`, or
 * `current`): amount, quantities, delivered and skipped records across all
 * customers (`GET /v1/deliveries/months/{month}`), by day, and the way to
 * each customer's month grid.
 */
@Component({
  selector: 'app-business-month',
  imports: [FormsModule, RouterLink, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule, MatTableModule, BaseChartDirective, ListState, PagedList, DeliveriesNav, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <app-deliveries-nav [month]="monthValue()" />
      <div class="page-head"><h1>Deliveries in {{ name() }}</h1></div>
      <div class="month-bar">
        <a mat-stroked-button [routerLink]="['/business/deliveries/months', prev()]" aria-label="Previous month">‹ Prev</a>
        <mat-form-field appearance="outline" subscriptSizing="dynamic" class="pick">
          <mat-label>Month</mat-label>
          <input matInput type="month" [ngModel]="monthValue()" (ngModelChange)="pick($event)" name="month" [max]="thisMonth() ?? ''" />
        </mat-form-field>
        @if (!thisMonth() || monthValue() < thisMonth()!) {
          <a mat-stroked-button [routerLink]="['/business/deliveries/months', next()]" aria-label="Next month">Next ›</a>
        }
      </div>

      <app-list-state [loading]="loading()" [error]="error()" (retry)="load()">
        @if (data(); as m) {
          <section class="cards" aria-label="The month in figures">
            <mat-card appearance="outlined" class="card"><span class="figure">{{ m.amount | rupees }}</span><span class="muted">Delivered, before GST</span></mat-card>
            <mat-card appearance="outlined" class="card">
              <span class="figure">
                @for (q of m.quantities; track q.unit) {
                  <span class="qty">{{ qty(q.quantity) }} {{ q.unit }}</span>
                } @empty {
                  0
                }
              </span>
              <span class="muted">Quantity delivered</span>
            </mat-card>
            <mat-card appearance="outlined" class="card"><span class="figure">{{ m.delivered }}</span><span class="muted">Deliveries</span></mat-card>
            <mat-card appearance="outlined" class="card"><span class="figure">{{ m.skipped }}</span><span class="muted">Skipped</span></mat-card>
            <mat-card appearance="outlined" class="card">
              <span class="figure">{{ m.settled_amount | rupees }}</span>
              <span class="muted">Settled ({{ m.settled_customers }} {{ m.settled_customers === 1 ? 'customer' : 'customers' }})</span>
            </mat-card>
            <mat-card appearance="outlined" class="card">
              <span class="figure">{{ unsettled() | rupees }}</span>
              <span class="muted">Not settled yet</span>
            </mat-card>
          </section>

          @if (m.days.length) {
            <mat-card appearance="outlined" class="chart-card">
              <h2>By day</h2>
              <div class="chart">
                <canvas baseChart type="bar" [data]="chart()" [options]="options" role="img" [attr.aria-label]="'Deliveries and skips by day in ' + name()"></canvas>
              </div>
              <details>
                <summary>The figures by day</summary>
                <div class="table-wrap">
                  <table class="plain" aria-label="Deliveries by day">
                    <thead><tr><th scope="col">Day</th><th scope="col" class="num">Delivered</th><th scope="col" class="num">Skipped</th></tr></thead>
                    <tbody>
                      @for (d of m.days; track d.date) {
                        <tr>
                          <td><a routerLink="/business/deliveries" [queryParams]="{ date: d.date }">{{ d.date | indianDate }}</a></td>
                          <td class="num">{{ d.delivered }}</td>
                          <td class="num">{{ d.skipped }}</td>
                        </tr>
                      }
                    </tbody>
                  </table>
                </div>
              </details>
            </mat-card>
          } @else {
            <p class="muted">Nothing was marked in {{ name() }}.</p>
          }
        }
      </app-list-state>

      <h2>Customers' month grids</h2>
      <form class="filters" (ngSubmit)="search()">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Name or phone</mat-label>
          <input matInput name="q" [(ngModel)]="query" />
        </mat-form-field>
        <button mat-stroked-button type="submit">Search</button>
      </form>
      <app-paged-list [pager]="customers" emptyText="No customer matches.">
        <ul class="customers">
          @for (c of customers.items(); track c.id) {
            <li>
              <a [routerLink]="['/business/deliveries/customers', c.id, monthValue()]">{{ c.name }}</a>
              <span class="muted">{{ c.phone | phone }} · owes {{ c.balance | rupees }}</span>
            </li>
          }
        </ul>
      </app-paged-list>
    </div>
  `,
  styles: `
    .month-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin-bottom: 12px; }
    .month-bar a { min-height: 44px; padding: 0 14px; min-width: 0; }
    .pick { flex: 0 1 170px; min-width: 120px; }
    .cards { grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); }
    .card { padding: 12px 16px; display: flex; flex-direction: column; gap: 4px; }
    .figure { font-size: 1.3rem; font-weight: 500; display: flex; flex-wrap: wrap; gap: 0 12px; }
    .chart-card { padding: 12px 16px; margin: 16px 0; }
    .chart { position: relative; height: 240px; }
    h2 { font-size: 1.1rem; font-weight: 500; margin: 16px 0 8px; }
    .chart-card h2 { margin-top: 0; }
    table.plain { border-collapse: collapse; min-width: 280px; }
    table.plain th, table.plain td { padding: 4px 12px; border-bottom: 1px solid var(--mat-sys-outline-variant, #ddd); text-align: left; }
    table.plain .num { text-align: right; }
    details summary { cursor: pointer; padding: 8px 0; }
    .customers { list-style: none; padding: 0; margin: 0; columns: 2 280px; }
    .customers li { padding: 8px 0; break-inside: avoid; display: flex; flex-direction: column; }
    .customers a { font-weight: 500; min-height: 24px; }
  `,
})
export class BusinessMonthPage {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly calendar = inject(BusinessCalendar);
  readonly qty = qty;
  /** `yyyy-mm`, or `current`. */
  readonly month = input.required<string>();
  readonly q = input<string>();
  query = '';

  readonly today = signal<string | null>(null);
  readonly thisMonth = computed(() => (this.today() ? monthOf(this.today()!) : null));
  readonly monthValue = computed(() => (isMonth(this.month()) ? this.month() : (this.thisMonth() ?? '')));
  readonly name = computed(() => monthName(this.monthValue()));
  readonly prev = computed(() => (this.monthValue() ? addMonths(this.monthValue(), -1) : ''));
  readonly next = computed(() => (this.monthValue() ? addMonths(this.monthValue(), 1) : ''));

  readonly data = signal<BusinessMonth | null>(null);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly unsettled = computed(() => Math.max(0, (this.data()?.amount ?? 0) - (this.data()?.settled_amount ?? 0)));

  readonly options: ChartConfiguration<'bar'>['options'] = {
    responsive: true,
    maintainAspectRatio: false,
    scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
  };
  readonly chart = computed<ChartConfiguration<'bar'>['data']>(() => {
    const m = this.data();
    const byDate = new Map((m?.days ?? []).map((d) => [d.date, d]));
    const days = m ? daysOfMonth(m.month) : [];
    return {
      labels: days.map((d) => String(+d.slice(8))),
      datasets: [
        { data: days.map((d) => byDate.get(d)?.delivered ?? 0), label: 'Delivered', backgroundColor: '#2e7d32' },
        { data: days.map((d) => byDate.get(d)?.skipped ?? 0), label: 'Skipped', backgroundColor: '#e0a800' },
      ],
    };
  });

  readonly customers = new Pager<Customer>((cursor) =>
    call(this.session.api.GET('/v1/customers', { params: { query: { q: this.q() || undefined, cursor, limit: 30 } } })),
  );

  constructor() {
    void this.calendar.today().then((t) => this.today.set(t));
    effect(() => {
      if (this.monthValue()) void this.load();
    });
    effect(() => {
      this.query = this.q() ?? '';
      void this.customers.reload();
    });
  }

  pick(month: string): void {
    if (isMonth(month)) void this.router.navigate(['/business/deliveries/months', month]);
  }

  search(): void {
    void this.router.navigate([], { queryParams: { q: this.query.trim() || null }, queryParamsHandling: 'merge' });
  }

  async load(): Promise<void> {
    const month = this.monthValue();
    this.loading.set(true);
    this.error.set(null);
    try {
      const m = await call(this.session.api.GET('/v1/deliveries/months/{month}', { params: { path: { month } } }));
      if (month === this.monthValue()) this.data.set(m);
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }
}
