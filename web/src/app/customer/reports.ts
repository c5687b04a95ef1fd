import { Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { components } from '../api/schema';
import { FORMAT_PIPES } from '../core/format.pipes';
import { call, describe } from '../core/problem';
import { Session } from '../core/session';

type ReportRow = components['schemas']['ReportRow'];

/**
 * `/customer/reports`: the registry reports of unpaid invoices that name
 * the customer's phone (`GET /v1/registry/about-me`), newest first, and a
 * box to open one by the number in the SMS.
 */
@Component({
  selector: 'app-customer-reports',
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <div class="page-head"><h1>Reports about me</h1></div>
      <p class="intro">
        Businesses can report unpaid invoices to Hisaab's credit registry, which other businesses check before giving
        credit. These are the reports that name your number, {{ (session.user()?.phone ?? '') | phone }}. Open one to
        see what was reported and, if it is wrong, dispute it.
      </p>

      @if (loading()) {
        <p class="muted" role="status">Loading…</p>
      } @else if (error()) {
        <p class="notice error" role="alert">{{ error() }}</p>
      } @else if (rows().length === 0) {
        <p class="muted">No report names you.</p>
      } @else {
        <ul class="rows">
          @for (r of rows(); track r.id) {
            <li>
              <a [routerLink]="['/customer/reports', r.id]">{{ r.seller }} · {{ r.amount_paise | rupees }}</a>
              <span class="muted"
                >invoice {{ r.invoice_number }} of {{ r.invoice_date | indianDate }}, about {{ r.buyer }} ·
                {{ r.status | label }}, {{ r.payment_status | label }}</span
              >
            </li>
          }
        </ul>
        @if (next()) {
          <button mat-stroked-button type="button" (click)="load(true)">More reports</button>
        }
      }

      <h2>Open a report by its number</h2>
      <form class="open" (ngSubmit)="open()" novalidate>
        <mat-form-field appearance="outline" class="number">
          <mat-label>Report number</mat-label>
          <input matInput name="reportId" [(ngModel)]="reportId" autocomplete="off" spellcheck="false" placeholder="rpt_…" />
          <mat-hint>From the SMS; you can paste the whole message.</mat-hint>
        </mat-form-field>
        <button mat-flat-button type="submit">Open report</button>
      </form>
    </div>
  `,
  styles: `
    .intro { max-width: 70ch; line-height: 1.5; }
    .open { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 4px 12px; margin: 12px 0; }
    .number { width: 360px; max-width: 100%; }
    .open button { margin-top: 8px; }
    h2 { font-size: 1.15rem; font-weight: 500; margin: 24px 0 8px; }
    .rows { padding-left: 20px; }
    .rows li { margin-bottom: 8px; }
    .rows .muted { display: block; font-size: 0.9rem; }
  `,
})
export class Reports {
  readonly session = inject(Session);
  private readonly router = inject(Router);
  reportId = '';
  readonly rows = signal<ReportRow[]>([]);
  readonly next = signal<string | null>(null);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);

  constructor() {
    void this.load(false);
  }

  /** The first page, or the next one after those shown (`more`). */
  async load(more: boolean): Promise<void> {
    this.error.set(null);
    if (!more) this.loading.set(true);
    try {
      const cursor = more ? (this.next() ?? undefined) : undefined;
      const page = await call(this.session.api.GET('/v1/registry/about-me', { params: { query: { cursor } } }));
      this.rows.set(more ? [...this.rows(), ...page.items] : page.items);
      this.next.set(page.next_cursor ?? null);
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  open(): void {
    // A pasted SMS: its report number; whether the report names you is the API's answer.
    const id = /rpt_[0-9A-Za-z]+/.exec(this.reportId)?.[0] ?? this.reportId.trim();
    if (!id) return;
    void this.router.navigate(['/customer/reports', id]);
  }
}
