import { Component, effect, inject, input } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import type { components } from '../../api/schema';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { Pager } from '../../core/pager';
import { call } from '../../core/problem';
import { Session } from '../../core/session';
import { PagedList } from '../../shared/list-state';
import { RegistryNav } from './nav';

type Row = components['schemas']['ReportRow'];
type PaymentStatus = components['schemas']['ReportPaymentStatus'];

const STATUSES = ['pending', 'in_process', 'referred', 'approved', 'rejected', 'withdrawn', 'removed'];

/** The reports this business filed (`GET /v1/registry/reports`), newest first. */
@Component({
  selector: 'app-my-reports',
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatSelectModule, MatTableModule, PagedList, RegistryNav, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <app-registry-nav />
      <div class="page-head">
        <h1>My reports</h1>
        <a mat-flat-button routerLink="/business/registry/report">Report a default</a>
      </div>
      <div class="filters">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Review</mat-label>
          <mat-select [ngModel]="status() ?? ''" (ngModelChange)="filter({ status: $event || null })" name="status">
            <mat-option value="">Any</mat-option>
            @for (s of statuses; track s) {
              <mat-option [value]="s">{{ s | label }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Payment</mat-label>
          <mat-select [ngModel]="payment_status() ?? ''" (ngModelChange)="filter({ payment_status: $event || null })" name="payment">
            <mat-option value="">Any</mat-option>
            <mat-option value="pending">Pending</mat-option>
            <mat-option value="disputed">Disputed</mat-option>
            <mat-option value="paid">Paid</mat-option>
          </mat-select>
        </mat-form-field>
      </div>
      <app-paged-list [pager]="pager" emptyText="No report yet.">
        <div class="table-wrap">
          <table mat-table [dataSource]="pager.items()" aria-label="My reports">
            <ng-container matColumnDef="buyer">
              <th mat-header-cell *matHeaderCellDef>Company</th>
              <td mat-cell *matCellDef="let r"><a [routerLink]="['/business/registry/reports', r.id]">{{ r.buyer }}</a></td>
            </ng-container>
            <ng-container matColumnDef="invoice_number">
              <th mat-header-cell *matHeaderCellDef>Invoices</th>
              <td mat-cell *matCellDef="let r">{{ r.invoice_number }}</td>
            </ng-container>
            <ng-container matColumnDef="invoice_date">
              <th mat-header-cell *matHeaderCellDef>Invoice date</th>
              <td mat-cell *matCellDef="let r">{{ r.invoice_date | indianDate }}</td>
            </ng-container>
            <ng-container matColumnDef="amount_paise">
              <th mat-header-cell *matHeaderCellDef class="num">Unpaid</th>
              <td mat-cell *matCellDef="let r" class="num">{{ r.amount_paise | rupees }}</td>
            </ng-container>
            <ng-container matColumnDef="payment_status">
              <th mat-header-cell *matHeaderCellDef>Payment</th>
              <td mat-cell *matCellDef="let r"><span class="chip {{ r.payment_status }}">{{ r.payment_status | label }}</span></td>
            </ng-container>
            <ng-container matColumnDef="status">
              <th mat-header-cell *matHeaderCellDef>Review</th>
              <td mat-cell *matCellDef="let r"><span class="chip {{ r.status }}">{{ r.status | label }}</span></td>
            </ng-container>
            <ng-container matColumnDef="created_at">
              <th mat-header-cell *matHeaderCellDef>Filed</th>
              <td mat-cell *matCellDef="let r">{{ r.created_at | indianDate }}</td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let r; columns: columns"></tr>
          </table>
        </div>
      </app-paged-list>
    </div>
  `,
  styles: `
    .chip.pending { background: #dae2f9; color: #001a41; }
    .chip.in_process { background: #fff1c7; color: #6b4e00; }
  `,
})
export class MyReports {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  readonly status = input<string>();
  readonly payment_status = input<PaymentStatus>();
  readonly statuses = STATUSES;
  readonly columns = ['buyer', 'invoice_number', 'invoice_date', 'amount_paise', 'payment_status', 'status', 'created_at'];

  readonly pager = new Pager<Row>((cursor) =>
    call(
      this.session.api.GET('/v1/registry/reports', {
        params: { query: { status: this.status() || undefined, payment_status: this.payment_status(), cursor, limit: 25 } },
      }),
    ),
  );

  constructor() {
    effect(() => {
      this.status();
      this.payment_status();
      void this.pager.reload();
    });
  }

  filter(change: Record<string, string | null>): void {
    void this.router.navigate([], { queryParams: change, queryParamsHandling: 'merge' });
  }
}
