import { Component, OnInit, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatCardModule } from '@angular/material/card';
import { ChartConfiguration } from 'chart.js';
import { BaseChartDirective } from 'ng2-charts';
import type { components } from '../api/schema';
import { label } from '../core/format';
import { call, describe } from '../core/problem';
import { Session } from '../core/session';
import { ListState } from '../shared/list-state';

type Stats = components['schemas']['PlatformStats'];
type WrongRow = components['schemas']['WrongReportRow'];

const STATUS_ORDER = ['pending', 'in_process', 'referred', 'approved', 'rejected', 'withdrawn', 'removed'];

/** Platform figures (`GET /v1/admin/stats`) and wrong-report counts, as cards and charts. */
@Component({
  selector: 'app-dashboard',
  imports: [MatCardModule, RouterLink, BaseChartDirective, ListState],
  template: `
    <div class="page">
      <div class="page-head"><h1>Dashboard</h1></div>
      <app-list-state [loading]="loading()" [error]="error()" (retry)="load()">
        @if (stats(); as s) {
          <section class="cards" aria-label="Platform figures">
            @for (card of cards(); track card.label) {
              <mat-card appearance="outlined" class="card">
                @if (card.link) {
                  <a [routerLink]="card.link" [queryParams]="card.query" class="figure">{{ card.value }}</a>
                } @else {
                  <span class="figure">{{ card.value }}</span>
                }
                <span class="muted">{{ card.label }}</span>
              </mat-card>
            }
          </section>
          <section class="charts">
            <mat-card appearance="outlined">
              <mat-card-header><mat-card-title><h2>Reports by status</h2></mat-card-title></mat-card-header>
              <mat-card-content>
                <div class="chart">
                  <canvas baseChart type="bar" [data]="statusChart()" [options]="barOptions" aria-label="Reports by status" role="img"></canvas>
                </div>
                <ul class="sr-only">
                  @for (row of statusRows(); track row.status) {
                    <li>{{ row.label }}: {{ row.count }}</li>
                  }
                </ul>
              </mat-card-content>
            </mat-card>
            <mat-card appearance="outlined">
              <mat-card-header><mat-card-title><h2>Wrong reports by business</h2></mat-card-title></mat-card-header>
              <mat-card-content>
                @if (wrong().length) {
                  <div class="chart">
                    <canvas baseChart type="bar" [data]="wrongChart()" [options]="stackedOptions" aria-label="Reports and wrong reports of the businesses with most wrong reports" role="img"></canvas>
                  </div>
                } @else {
                  <p class="muted">No business has a wrong report.</p>
                }
                <a routerLink="/admin/wrong-reports">All wrong-report figures</a>
              </mat-card-content>
            </mat-card>
          </section>
        }
      </app-list-state>
    </div>
  `,
  styles: `
    .card { padding: 16px; display: flex; flex-direction: column; gap: 4px; }
    .figure { font-size: 1.8rem; font-weight: 500; text-decoration: none; }
    .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 12px; margin-top: 16px; }
    .chart { position: relative; height: 260px; }
    h2 { font-size: 1.1rem; font-weight: 500; margin: 0; }
  `,
})
export class Dashboard implements OnInit {
  private readonly session = inject(Session);
  readonly stats = signal<Stats | null>(null);
  readonly wrong = signal<WrongRow[]>([]);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);

  readonly barOptions: ChartConfiguration<'bar'>['options'] = {
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { display: false } },
    scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
  };
  readonly stackedOptions: ChartConfiguration<'bar'>['options'] = {
    responsive: true,
    maintainAspectRatio: false,
    indexAxis: 'y',
    scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
  };

  readonly cards = computed(() => {
    const s = this.stats();
    if (!s) return [];
    const reports = Object.values(s.reports).reduce((a, b) => a + b, 0);
    return [
      { label: 'Members', value: s.members, link: '/admin/users', query: {} },
      { label: 'Businesses', value: s.businesses, link: '/admin/businesses', query: {} },
      { label: 'Customers of businesses', value: s.customers, link: null, query: {} },
      { label: 'Companies in the registry', value: s.companies, link: '/admin/companies', query: {} },
      { label: 'Reports filed', value: reports, link: '/admin/transactions', query: {} },
      { label: 'Listed defaults', value: s.approved_defaults, link: '/admin/transactions', query: { status: 'approved' } },
      { label: 'Waiting for review', value: s.review_queue, link: '/admin/transactions', query: { status: 'pending' } },
      { label: 'Referred to senior', value: s.referred_queue, link: '/admin/transactions', query: { status: 'referred' } },
      { label: 'Open disputes', value: s.open_disputes, link: '/admin/disputes', query: {} },
      { label: 'Open edit requests', value: s.open_edit_requests, link: '/admin/edit-requests', query: {} },
      { label: 'Wrong reports', value: this.wrong().reduce((a, r) => a + r.wrong, 0), link: '/admin/wrong-reports', query: {} },
    ];
  });

  readonly statusRows = computed(() => {
    const reports = this.stats()?.reports ?? {};
    const known = STATUS_ORDER.filter((s) => s in reports);
    const other = Object.keys(reports).filter((s) => !STATUS_ORDER.includes(s));
    return [...known, ...other].map((status) => ({ status, label: label(status), count: reports[status] ?? 0 }));
  });

  readonly statusChart = computed<ChartConfiguration<'bar'>['data']>(() => ({
    labels: this.statusRows().map((r) => r.label),
    datasets: [{ data: this.statusRows().map((r) => r.count), label: 'Reports', backgroundColor: '#005cbb' }],
  }));

  readonly wrongChart = computed<ChartConfiguration<'bar'>['data']>(() => {
    const top = [...this.wrong()].sort((a, b) => b.wrong - a.wrong).slice(0, 8);
    return {
      labels: top.map((r) => r.business_name),
      datasets: [
        { data: top.map((r) => r.reports), label: 'Reports', backgroundColor: '#9ab8e6' },
        { data: top.map((r) => r.wrong), label: 'Wrong', backgroundColor: '#ba1a1a' },
      ],
    };
  });

  ngOnInit(): void {
    void this.load();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const [stats, wrong] = await Promise.all([
        call(this.session.api.GET('/v1/admin/stats')),
        call(this.session.api.GET('/v1/admin/metrics/wrong-reports', { params: { query: { limit: 100 } } })),
      ]);
      this.stats.set(stats);
      this.wrong.set(wrong.items);
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }
}
