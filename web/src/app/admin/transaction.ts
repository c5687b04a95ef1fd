import { LowerCasePipe } from '@angular/common';
import { Component, computed, effect, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatTableModule } from '@angular/material/table';
import type { components } from '../api/schema';
import { FORMAT_PIPES } from '../core/format.pipes';
import { call, describe } from '../core/problem';
import { Session } from '../core/session';
import { Confirm } from '../shared/confirm';
import { ListState } from '../shared/list-state';
import { AuditTrail } from './audit-trail';

type Detail = components['schemas']['ReportDetail'];
type Action = components['schemas']['ReportAction'];

interface ActionButton {
  action: Action;
  text: string;
  confirm: string;
  destructive: boolean;
}

const ACTIONS: ActionButton[] = [
  { action: 'approve', text: 'Approve', confirm: 'Approve this report? The company is listed as a defaulter and every member sees it.', destructive: false },
  { action: 'in_process', text: 'In process', confirm: 'Mark this report as in process (you are looking into it)?', destructive: false },
  { action: 'refer', text: 'Refer to senior', confirm: 'Refer this report to the senior team? Only a senior admin can decide it then.', destructive: false },
  { action: 'reject', text: 'Reject', confirm: 'Reject this report? It is not listed and the reporter is told.', destructive: true },
];

/** One report (`GET /v1/admin/transactions/{id}`): invoices, documents, history, and the review actions. */
@Component({
  selector: 'app-transaction',
  imports: [LowerCasePipe, RouterLink, MatButtonModule, MatCardModule, MatTableModule, ListState, AuditTrail, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <p><a routerLink="/admin/transactions">‹ Transactions</a></p>
      <app-list-state [loading]="loading()" [error]="error()" (retry)="load()">
        @if (report(); as r) {
          <div class="page-head">
            <h1>{{ r.company_name }} · {{ r.amount_paise | rupees }}</h1>
            <span class="chip {{ r.status }}">{{ r.status | label }}</span>
            <span class="chip {{ r.payment_status }}">Payment {{ r.payment_status | label }}</span>
          </div>

          <section class="actions-bar" aria-label="Review actions">
            @if (actionable()) {
              <div class="actions">
                @for (b of actions; track b.action) {
                  <button mat-flat-button type="button" [class.destructive]="b.destructive" [disabled]="busy()" (click)="act(b)">
                    {{ b.text }}
                  </button>
                }
              </div>
            } @else if (r.status === 'referred') {
              <p class="muted" role="status">Referred to the senior team: a senior admin decides it.</p>
            } @else {
              <p class="muted" role="status">This report is {{ r.status | label | lowercase }}; there is nothing to decide.</p>
            }
            @if (actionError(); as message) {
              <p class="error-text" role="alert">{{ message }}</p>
            }
          </section>

          <div class="grid">
            <mat-card appearance="outlined">
              <mat-card-header><mat-card-title><h2>Parties</h2></mat-card-title></mat-card-header>
              <mat-card-content>
                <dl>
                  <dt>Buyer (reported)</dt>
                  <dd><a [routerLink]="['/admin/companies', r.company_id]">{{ r.company_name }}</a></dd>
                  <dt>Seller (reporter)</dt>
                  <dd>{{ r.reporter_name }}</dd>
                  <dt>Debtor's phone</dt>
                  <dd>{{ r.debtor_phone | phone }}</dd>
                  <dt>Filed</dt>
                  <dd>{{ r.created_at | indianDateTime }}</dd>
                  <dt>Source</dt>
                  <dd>{{ r.source === 'external' ? 'An outside invoice' : 'Invoices kept in Hisaab' }}</dd>
                  @if (r.note) {
                    <dt>Reporter's note</dt>
                    <dd>{{ r.note }}</dd>
                  }
                </dl>
              </mat-card-content>
            </mat-card>
            <mat-card appearance="outlined">
              <mat-card-header><mat-card-title><h2>Documents</h2></mat-card-title></mat-card-header>
              <mat-card-content>
                @if (r.documents.length) {
                  <ul>
                    @for (d of r.documents; track d.upload_id) {
                      <li>
                        @if (d.url) {
                          <a [href]="d.url" target="_blank" rel="noopener">{{ d.kind | label }}</a>
                        } @else {
                          {{ d.kind | label }}
                        }
                        <span class="muted">({{ d.content_type }}, {{ kb(d.size_bytes) }} kB)</span>
                      </li>
                    }
                  </ul>
                } @else {
                  <p class="muted">No documents were uploaded.</p>
                }
              </mat-card-content>
            </mat-card>
          </div>

          <h2>Invoices</h2>
          <div class="table-wrap">
            <table mat-table [dataSource]="r.invoices" aria-label="Invoices of the report">
              <ng-container matColumnDef="number">
                <th mat-header-cell *matHeaderCellDef>Number</th>
                <td mat-cell *matCellDef="let i">{{ i.number }}</td>
              </ng-container>
              <ng-container matColumnDef="invoice_date">
                <th mat-header-cell *matHeaderCellDef>Date</th>
                <td mat-cell *matCellDef="let i">{{ i.invoice_date | indianDate }}</td>
              </ng-container>
              <ng-container matColumnDef="due_date">
                <th mat-header-cell *matHeaderCellDef>Due</th>
                <td mat-cell *matCellDef="let i">{{ i.due_date | indianDate }}</td>
              </ng-container>
              <ng-container matColumnDef="amount_paise">
                <th mat-header-cell *matHeaderCellDef class="num">Amount</th>
                <td mat-cell *matCellDef="let i" class="num">{{ i.amount_paise | rupees }}</td>
              </ng-container>
              <ng-container matColumnDef="paid">
                <th mat-header-cell *matHeaderCellDef>Paid</th>
                <td mat-cell *matCellDef="let i">{{ i.paid ? 'Paid ' + (i.paid_at | indianDate) : 'Unpaid' }}</td>
              </ng-container>
              <tr mat-header-row *matHeaderRowDef="invoiceColumns"></tr>
              <tr mat-row *matRowDef="let i; columns: invoiceColumns"></tr>
            </table>
          </div>

          @if (r.dispute; as d) {
            <h2>Open dispute</h2>
            <p>{{ d.reason }} <a routerLink="/admin/disputes">Decide it in Disputes</a></p>
          }
          @if (r.edit_request; as e) {
            <h2>Open edit request ({{ e.kind | label }})</h2>
            <p>{{ e.reason }} <a routerLink="/admin/edit-requests">Decide it in Edit requests</a></p>
          }

          <h2>History</h2>
          <ol class="history">
            @for (h of r.history; track $index) {
              <li>
                <strong>{{ h.action | label }}</strong> · {{ h.from | label }} → {{ h.to | label }}
                <span class="muted">by {{ h.role | label }} {{ h.by }}, {{ h.at | indianDateTime }}</span>
                @if (h.note) {
                  <div>“{{ h.note }}”</div>
                }
              </li>
            }
          </ol>

          <h2>Audit trail</h2>
          <app-audit-trail [targetId]="r.id" [reload]="auditVersion()" />
        }
      </app-list-state>
    </div>
  `,
  styles: `
    .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px; margin: 12px 0; }
    h2 { font-size: 1.1rem; font-weight: 500; margin: 16px 0 8px; }
    mat-card h2 { margin: 0; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 8px 0; }
    dt { color: var(--mat-sys-on-surface-variant); }
    dd { margin: 0; }
    .destructive { background: var(--mat-sys-error); color: var(--mat-sys-on-error); }
    .history li { margin-bottom: 6px; }
    .actions-bar { margin: 8px 0 4px; }
  `,
})
export class Transaction {
  private readonly session = inject(Session);
  private readonly confirm = inject(Confirm);
  /** From the route: `/admin/transactions/:reportId`. */
  readonly reportId = input.required<string>();

  readonly report = signal<Detail | null>(null);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly busy = signal(false);
  readonly actionError = signal<string | null>(null);
  readonly auditVersion = signal(0);
  readonly actions = ACTIONS;
  readonly invoiceColumns = ['number', 'invoice_date', 'due_date', 'amount_paise', 'paid'];

  /** Whether this admin may act: open reports for all, referred ones for seniors. */
  readonly actionable = computed(() => {
    const status = this.report()?.status;
    if (status === 'pending' || status === 'in_process') return true;
    return status === 'referred' && this.session.adminLevel() >= 1;
  });

  constructor() {
    effect(() => {
      this.reportId();
      void this.load();
    });
  }

  kb(bytes: number): string {
    return (bytes / 1024).toFixed(0);
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      this.report.set(
        await call(this.session.api.GET('/v1/admin/transactions/{report_id}', { params: { path: { report_id: this.reportId() } } })),
      );
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  async act(button: ActionButton): Promise<void> {
    const answer = await this.confirm.ask({
      title: button.text,
      message: button.confirm,
      action: button.text,
      note: button.action === 'reject' ? 'required' : 'optional',
      destructive: button.destructive,
    });
    if (!answer) return;
    this.busy.set(true);
    this.actionError.set(null);
    try {
      await call(
        this.session.api.POST('/v1/admin/transactions/{report_id}/actions', {
          params: { path: { report_id: this.reportId() } },
          body: { action: button.action, note: answer.note },
        }),
      );
      await this.load();
      this.auditVersion.update((v) => v + 1);
    } catch (e) {
      this.actionError.set(describe(e));
    } finally {
      this.busy.set(false);
    }
  }
}
