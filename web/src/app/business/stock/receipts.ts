import { Component, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import type { components } from '../../api/schema';
import { todayIn } from '../../core/dates';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { Pager } from '../../core/pager';
import { call } from '../../core/problem';
import { Session } from '../../core/session';
import { PagedList } from '../../shared/list-state';
import { StockNav } from './nav';

type Receipt = components['schemas']['Receipt'];

/**
 * Goods received (`GET /v1/stock/receipts`), newest bill first: of one
 * supplier (`?supplier=`) and between two bill dates (`?from=&to=`).
 */
@Component({
  selector: 'app-receipts',
  imports: [
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatTableModule,
    PagedList,
    StockNav,
    ...FORMAT_PIPES,
  ],
  template: `
    <div class="page">
      <div class="page-head">
        <h1>Stock</h1>
        <a mat-flat-button routerLink="/business/stock/receipts/new">Record a receipt</a>
      </div>
      <app-stock-nav />
      @if (notice(); as n) {
        <p role="status" class="notice">{{ n }}</p>
      }
      <form class="filters" (ngSubmit)="apply()" aria-label="Filter receipts">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Bills from</mat-label>
          <input matInput type="date" name="from" [(ngModel)]="fromText" [max]="today" />
        </mat-form-field>
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Bills to</mat-label>
          <input matInput type="date" name="to" [(ngModel)]="toText" [max]="today" />
        </mat-form-field>
        <button mat-stroked-button type="submit">Show</button>
        @if (supplier() || from() || to()) {
          <button mat-button type="button" (click)="clear()">Show all receipts</button>
        }
      </form>
      @if (supplier() && supplierName(); as name) {
        <p class="muted">Receipts from {{ name }}</p>
      }
      <app-paged-list
        [pager]="pager"
        emptyText="No receipt yet. Record the goods you receive on a supplier's bill."
      >
        <div class="table-wrap">
          <table mat-table [dataSource]="pager.items()" aria-label="Receipts">
            <ng-container matColumnDef="bill_date">
              <th mat-header-cell *matHeaderCellDef>Bill date</th>
              <td mat-cell *matCellDef="let r" class="nowrap">{{ r.bill_date | indianDate }}</td>
            </ng-container>
            <ng-container matColumnDef="bill_number">
              <th mat-header-cell *matHeaderCellDef>Bill</th>
              <td mat-cell *matCellDef="let r">
                <a [routerLink]="['/business/stock/receipts', r.id]">{{ r.bill_number }}</a>
              </td>
            </ng-container>
            <ng-container matColumnDef="supplier">
              <th mat-header-cell *matHeaderCellDef>Supplier</th>
              <td mat-cell *matCellDef="let r">{{ r.supplier_name }}</td>
            </ng-container>
            <ng-container matColumnDef="lines">
              <th mat-header-cell *matHeaderCellDef>Goods</th>
              <td mat-cell *matCellDef="let r" class="goods">{{ goods(r) }}</td>
            </ng-container>
            <ng-container matColumnDef="total">
              <th mat-header-cell *matHeaderCellDef class="num">Total</th>
              <td mat-cell *matCellDef="let r" class="num">{{ r.total | rupees }}</td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let r; columns: columns"></tr>
          </table>
        </div>
      </app-paged-list>
    </div>
  `,
  styles: `
    .nowrap {
      white-space: nowrap;
    }
    .goods {
      max-width: 320px;
    }
    table.mat-mdc-table {
      width: 100%;
      min-width: 560px;
    }
    @media (max-width: 600px) {
      .filters mat-form-field {
        width: calc(50% - 6px);
      }
      .mat-column-lines {
        display: none;
      }
      table.mat-mdc-table {
        min-width: 0;
      }
      .mat-mdc-cell,
      .mat-mdc-header-cell {
        padding: 0 6px;
      }
    }
  `,
})
export class Receipts {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  readonly supplier = input<string>();
  readonly from = input<string>();
  readonly to = input<string>();
  readonly columns = ['bill_date', 'bill_number', 'supplier', 'lines', 'total'];
  readonly today = todayIn();
  readonly notice = signal<string | null>(
    (history.state as { notice?: string } | null)?.notice ?? null,
  );
  readonly supplierName = signal<string | null>(null);
  fromText = '';
  toText = '';

  readonly pager = new Pager<Receipt>((cursor) =>
    call(
      this.session.api.GET('/v1/stock/receipts', {
        params: {
          query: {
            supplier_id: this.supplier() || undefined,
            from: this.from() || undefined,
            to: this.to() || undefined,
            cursor,
            limit: 25,
          },
        },
      }),
    ),
  );

  constructor() {
    effect(() => {
      this.fromText = this.from() ?? '';
      this.toText = this.to() ?? '';
      const s = this.supplier();
      this.supplierName.set(null);
      if (s) {
        void call(
          this.session.api.GET('/v1/suppliers/{supplier_id}', {
            params: { path: { supplier_id: s } },
          }),
        )
          .then((x) => this.supplierName.set(x.name))
          .catch(() => undefined);
      }
      void this.pager.reload();
    });
  }

  goods(r: Receipt): string {
    const names = r.lines.map((l) => l.product_name);
    return names.length > 3
      ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`
      : names.join(', ');
  }

  apply(): void {
    void this.router.navigate([], {
      queryParams: { from: this.fromText || null, to: this.toText || null },
      queryParamsHandling: 'merge',
    });
  }

  clear(): void {
    void this.router.navigate([]);
  }
}
