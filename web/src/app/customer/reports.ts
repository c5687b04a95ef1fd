import { Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { FORMAT_PIPES } from '../core/format.pipes';
import { Session } from '../core/session';
import { SeenReport, seenReports } from './seen-reports';

/**
 * `/customer/reports`: reports of unpaid invoices that name the customer.
 * The API lists no reports to a customer user (`GET /v1/registry/reports`
 * is the reporter's list); the reported person gets the report's number
 * by SMS and opens it here. Reports opened before are remembered on this
 * device.
 */
@Component({
  selector: 'app-customer-reports',
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <div class="page-head"><h1>Reports about me</h1></div>
      <p class="intro">
        Businesses can report unpaid invoices to Hisaab's credit registry, which other businesses check before giving
        credit. When a report names you, we send an SMS to {{ (session.user()?.phone ?? '') | phone }} with its number
        (it starts with <code>rpt_</code>). Open it here to see what was reported and, if it is wrong, dispute it.
      </p>

      <form class="open" (ngSubmit)="open()" novalidate>
        <mat-form-field appearance="outline" class="number">
          <mat-label>Report number</mat-label>
          <input matInput name="reportId" [(ngModel)]="reportId" autocomplete="off" spellcheck="false" placeholder="rpt_…" />
          <mat-hint>You can paste the whole SMS.</mat-hint>
        </mat-form-field>
        <button mat-flat-button type="submit">Open report</button>
      </form>

      <h2>Reports you opened</h2>
      @if (seen().length === 0) {
        <p class="muted">None yet on this device.</p>
      } @else {
        <ul class="seen">
          @for (r of seen(); track r.id) {
            <li>
              <a [routerLink]="['/customer/reports', r.id]">{{ r.reporter_name }} · {{ r.amount_paise | rupees }}</a>
              <span class="muted">about {{ r.company_name }}, {{ r.status | label }} when opened {{ r.seen_at | indianDate }}</span>
            </li>
          }
        </ul>
      }
    </div>
  `,
  styles: `
    .intro { max-width: 70ch; line-height: 1.5; }
    .open { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 4px 12px; margin: 12px 0; }
    .number { width: 360px; max-width: 100%; }
    .open button { margin-top: 8px; }
    h2 { font-size: 1.15rem; font-weight: 500; margin: 20px 0 8px; }
    .seen { padding-left: 20px; }
    .seen li { margin-bottom: 6px; }
    .seen .muted { display: block; font-size: 0.9rem; }
    code { font-size: 0.95em; }
  `,
})
export class Reports {
  readonly session = inject(Session);
  private readonly router = inject(Router);
  reportId = '';
  readonly seen = signal<SeenReport[]>(seenReports(this.session.user()?.id).list());

  open(): void {
    // A pasted SMS: its report number; whether the report names you is the API's answer.
    const id = /rpt_[0-9A-Za-z]+/.exec(this.reportId)?.[0] ?? this.reportId.trim();
    if (!id) return;
    void this.router.navigate(['/customer/reports', id]);
  }
}
