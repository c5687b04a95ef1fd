import { Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { MatSortModule, Sort } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import type { components } from '../api/schema';
import { FORMAT_PIPES } from '../core/format.pipes';
import { Pager } from '../core/pager';
import { sortRows } from '../core/sort';
import { call } from '../core/problem';
import { Session } from '../core/session';
import { PagedList } from '../shared/list-state';

type Row = components['schemas']['ReportRow'];
type ReportStatus = components['schemas']['ReportStatus'];
type PaymentStatus = components['schemas']['ReportPaymentStatus'];

export const REPORT_STATUSES: ReportStatus[] = ['pending', 'in_process', 'referred', 'approved', 'rejected', 'withdrawn', 'removed'];
const PAYMENT_STATUSES: PaymentStatus[] = ['pending', 'disputed', 'paid'];

/** The review queue (`GET /v1/admin/transactions`): the seed's table of reported defaults. */
@Component({
  selector: 'app-transactions',
  imports: [FormsModule, RouterLink, MatFormFieldModule, MatSelectModule, MatSortModule, MatTableModule, PagedList, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <div class="page-head"><h1>Transactions</h1></div>
      <div class="filters">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Review status</mat-label>
          <mat-select [ngModel]="status() ?? ''" (ngModelChange)="filter({ status: $event || null })">
            <mat-option value="">Any</mat-option>
            @for (s of statuses; track s) {
              <mat-option [value]="s">{{ s | label }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Payment status</mat-label>
          <mat-select [ngModel]="payment_status() ?? ''" (ngModelChange)="filter({ payment_status: $event || null })">
            <mat-option value="">Any</mat-option>
            @for (s of paymentStatuses; track s) {
              <mat-option [value]="s">{{ s | label }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
      </div>
      <app-paged-list [pager]="pager" emptyText="No report matches these filters.">
        <div class="table-wrap">
          <table mat-table [dataSource]="rows()" matSort (matSortChange)="sort.set($event)" aria-label="Reported transactions">
            <ng-container matColumnDef="invoice_number">
              <th mat-header-cell *matHeaderCellDef mat-sort-header>Invoice</th>
              <td mat-cell *matCellDef="let r">{{ r.invoice_number }}</td>
            </ng-container>
            <ng-container matColumnDef="buyer">
              <th mat-header-cell *matHeaderCellDef mat-sort-header>Buyer</th>
              <td mat-cell *matCellDef="let r">{{ r.buyer }}</td>
            </ng-container>
            <ng-container matColumnDef="seller">
              <th mat-header-cell *matHeaderCellDef mat-sort-header>Seller</th>
              <td mat-cell *matCellDef="let r">{{ r.seller }}</td>
            </ng-container>
            <ng-container matColumnDef="invoice_date">
              <th mat-header-cell *matHeaderCellDef mat-sort-header>Date</th>
              <td mat-cell *matCellDef="let r">{{ r.invoice_date | indianDate }}</td>
            </ng-container>
            <ng-container matColumnDef="amount_paise">
              <th mat-header-cell *matHeaderCellDef mat-sort-header class="num">Amount</th>
              <td mat-cell *matCellDef="let r" class="num">{{ r.amount_paise | rupees }}</td>
            </ng-container>
            <ng-container matColumnDef="payment_status">
              <th mat-header-cell *matHeaderCellDef mat-sort-header>Payment</th>
              <td mat-cell *matCellDef="let r"><span class="chip {{ r.payment_status }}">{{ r.payment_status | label }}</span></td>
            </ng-container>
            <ng-container matColumnDef="status">
              <th mat-header-cell *matHeaderCellDef mat-sort-header>Review</th>
              <td mat-cell *matCellDef="let r"><span class="chip {{ r.status }}">{{ r.status | label }}</span></td>
            </ng-container>
            <ng-container matColumnDef="details">
              <th mat-header-cell *matHeaderCellDef><span class="sr-only">Details</span></th>
              <td mat-cell *matCellDef="let r"><a [routerLink]="['/admin/transactions', r.id]" [attr.aria-label]="'Details of ' + r.invoice_number">Details</a></td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let r; columns: columns"></tr>
          </table>
        </div>
      </app-paged-list>
    </div>
  `,
})
export class Transactions {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  /** Filters, from the query string. */
  readonly status = input<ReportStatus | null>();
  readonly payment_status = input<PaymentStatus | null>();

  readonly statuses = REPORT_STATUSES;
  readonly paymentStatuses = PAYMENT_STATUSES;
  readonly columns = ['invoice_number', 'buyer', 'seller', 'invoice_date', 'amount_paise', 'payment_status', 'status', 'details'];
  readonly sort = signal<Sort | null>(null);

  readonly pager = new Pager<Row>((cursor) =>
    call(
      this.session.api.GET('/v1/admin/transactions', {
        params: {
          query: {
            status: this.status() ?? undefined,
            payment_status: this.payment_status() ?? undefined,
            cursor,
            limit: 25,
          },
        },
      }),
    ),
  );

  /** The page shown, sorted by the chosen column. */
  readonly rows = computed(() => sortRows(this.pager.items(), this.sort()));

  constructor() {
    // A filter change (the query string) reloads from the first page.
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
