import { Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatSortModule, Sort } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import type { components } from '../api/schema';
import { FORMAT_PIPES } from '../core/format.pipes';
import { Pager } from '../core/pager';
import { sortRows } from '../core/sort';
import { call } from '../core/problem';
import { Session } from '../core/session';
import { Confirm } from '../shared/confirm';
import { PagedList } from '../shared/list-state';
import { setBusinessStatus } from './businesses';

type Row = components['schemas']['WrongReportRow'];

/** Wrongly raised reports per business (`GET /v1/admin/metrics/wrong-reports`), sortable, with disable. */
@Component({
  selector: 'app-wrong-reports',
  imports: [RouterLink, MatButtonModule, MatSortModule, MatTableModule, PagedList, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <div class="page-head"><h1>Wrong reports</h1></div>
      <p class="muted">A report is wrong when a dispute against it is upheld or its reporter withdraws it after listing. A business is disabled at its limit.</p>
      @if (notice(); as n) {
        <p role="status" class="notice">{{ n }}</p>
      }
      <app-paged-list [pager]="pager" emptyText="No business has filed a report yet.">
        <div class="table-wrap">
          <table mat-table [dataSource]="rows()" matSort (matSortChange)="sort.set($event)" aria-label="Wrong reports per business">
            <ng-container matColumnDef="business_name">
              <th mat-header-cell *matHeaderCellDef mat-sort-header>Business</th>
              <td mat-cell *matCellDef="let r">{{ r.business_name }}</td>
            </ng-container>
            <ng-container matColumnDef="reports">
              <th mat-header-cell *matHeaderCellDef mat-sort-header class="num">Reports</th>
              <td mat-cell *matCellDef="let r" class="num">{{ r.reports }}</td>
            </ng-container>
            <ng-container matColumnDef="wrong">
              <th mat-header-cell *matHeaderCellDef mat-sort-header class="num">Wrong</th>
              <td mat-cell *matCellDef="let r" class="num">{{ r.wrong }} of {{ r.limit }}</td>
            </ng-container>
            <ng-container matColumnDef="rate_bp">
              <th mat-header-cell *matHeaderCellDef mat-sort-header class="num">Rate</th>
              <td mat-cell *matCellDef="let r" class="num">{{ percent(r.rate_bp) }}</td>
            </ng-container>
            <ng-container matColumnDef="last_wrong_at">
              <th mat-header-cell *matHeaderCellDef mat-sort-header>Last wrong</th>
              <td mat-cell *matCellDef="let r">{{ r.last_wrong_at | indianDate }}</td>
            </ng-container>
            <ng-container matColumnDef="actions">
              <th mat-header-cell *matHeaderCellDef><span class="sr-only">Actions</span></th>
              <td mat-cell *matCellDef="let r">
                @if (senior()) {
                  <button mat-button type="button" (click)="disable(r)" [attr.aria-label]="'Disable ' + r.business_name">Disable</button>
                }
                <a mat-button routerLink="/admin/transactions" [queryParams]="{ business_id: r.business_id }">Reports</a>
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let r; columns: columns"></tr>
          </table>
        </div>
      </app-paged-list>
    </div>
  `,
})
export class WrongReports {
  private readonly session = inject(Session);
  private readonly confirm = inject(Confirm);
  readonly columns = ['business_name', 'reports', 'wrong', 'rate_bp', 'last_wrong_at', 'actions'];
  readonly sort = signal<Sort | null>({ active: 'wrong', direction: 'desc' });
  readonly notice = signal<string | null>(null);
  /** Disabling a business is for the senior team (the API's rule). */
  readonly senior = computed(() => this.session.adminLevel() >= 1);
  readonly pager = new Pager<Row>((cursor) =>
    call(this.session.api.GET('/v1/admin/metrics/wrong-reports', { params: { query: { cursor, limit: 50 } } })),
  );
  readonly rows = computed(() => sortRows(this.pager.items(), this.sort()));

  constructor() {
    void this.pager.reload();
  }

  percent(bp: number): string {
    return `${(bp / 100).toFixed(1)}%`;
  }

  async disable(row: Row): Promise<void> {
    const message = await setBusinessStatus(this.session, this.confirm, { id: row.business_id, name: row.business_name }, 'disabled');
    if (message) this.notice.set(message);
  }
}
