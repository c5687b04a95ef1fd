import { Component, effect, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatTableModule } from '@angular/material/table';
import type { components } from '../../api/schema';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { call, describe } from '../../core/problem';
import { Session } from '../../core/session';
import { ListState } from '../../shared/list-state';
import { withUnit } from './quantity';

type Receipt = components['schemas']['Receipt'];

/** One receipt (`GET /v1/stock/receipts/{id}`): the supplier's bill, its lines and the cost they averaged to. */
@Component({
  selector: 'app-receipt-detail',
  imports: [RouterLink, MatButtonModule, MatCardModule, MatTableModule, ListState, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <p><a routerLink="/business/stock/receipts">‹ Receipts</a></p>
      @if (notice(); as n) {
        <p role="status" class="notice">{{ n }}</p>
      }
      <app-list-state [loading]="loading()" [error]="error()" (retry)="load()">
        @if (receipt(); as r) {
          <div class="page-head">
            <h1>Bill {{ r.bill_number }} · {{ r.supplier_name }}</h1>
            <a mat-stroked-button routerLink="/business/stock/receipts/new">Record another</a>
          </div>
          <mat-card appearance="outlined" class="head">
            <dl>
              <div>
                <dt>Supplier</dt>
                <dd>
                  <a
                    routerLink="/business/stock/receipts"
                    [queryParams]="{ supplier: r.supplier_id }"
                    >{{ r.supplier_name }}</a
                  >
                </dd>
              </div>
              @if (r.supplier_gstin) {
                <div>
                  <dt>GSTIN</dt>
                  <dd>{{ r.supplier_gstin }}</dd>
                </div>
              }
              <div>
                <dt>Bill number</dt>
                <dd>{{ r.bill_number }}</dd>
              </div>
              <div>
                <dt>Bill date</dt>
                <dd>{{ r.bill_date | indianDate }}</dd>
              </div>
              <div>
                <dt>Recorded</dt>
                <dd>{{ r.created_at | indianDateTime }}</dd>
              </div>
              <div>
                <dt>Total</dt>
                <dd class="total" data-testid="receipt-total">{{ r.total | rupees }}</dd>
              </div>
            </dl>
            @if (r.notes) {
              <p class="notes">{{ r.notes }}</p>
            }
          </mat-card>
          <div class="table-wrap">
            <table mat-table [dataSource]="r.lines" aria-label="Goods received">
              <ng-container matColumnDef="product">
                <th mat-header-cell *matHeaderCellDef>Product</th>
                <td mat-cell *matCellDef="let l">
                  <a [routerLink]="['/business/products', l.product_id, 'stock']">{{
                    l.product_name
                  }}</a>
                </td>
                <td mat-footer-cell *matFooterCellDef>Total</td>
              </ng-container>
              <ng-container matColumnDef="quantity">
                <th mat-header-cell *matHeaderCellDef class="num">Quantity</th>
                <td mat-cell *matCellDef="let l" class="num">{{ withUnit(l.quantity, l.unit) }}</td>
                <td mat-footer-cell *matFooterCellDef></td>
              </ng-container>
              <ng-container matColumnDef="unit_cost">
                <th mat-header-cell *matHeaderCellDef class="num">Unit cost</th>
                <td mat-cell *matCellDef="let l" class="num">{{ l.unit_cost | rupees }}</td>
                <td mat-footer-cell *matFooterCellDef></td>
              </ng-container>
              <ng-container matColumnDef="amount">
                <th mat-header-cell *matHeaderCellDef class="num">Amount</th>
                <td mat-cell *matCellDef="let l" class="num">{{ l.amount | rupees }}</td>
                <td mat-footer-cell *matFooterCellDef class="num">{{ r.total | rupees }}</td>
              </ng-container>
              <ng-container matColumnDef="average">
                <th mat-header-cell *matHeaderCellDef class="num">Average cost after</th>
                <td mat-cell *matCellDef="let l" class="num">
                  {{ l.average_cost_after | rupees }}
                </td>
                <td mat-footer-cell *matFooterCellDef></td>
              </ng-container>
              <tr mat-header-row *matHeaderRowDef="columns"></tr>
              <tr mat-row *matRowDef="let l; columns: columns"></tr>
              <tr mat-footer-row *matFooterRowDef="columns"></tr>
            </table>
          </div>
        }
      </app-list-state>
    </div>
  `,
  styles: `
    .head {
      padding: 12px 16px;
      margin-bottom: 12px;
    }
    dl {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(130px, 1fr));
      gap: 8px 16px;
      margin: 0;
    }
    dt {
      font-size: 0.8rem;
      color: var(--mat-sys-on-surface-variant);
    }
    dd {
      margin: 0;
    }
    .total {
      font-weight: 600;
    }
    .notes {
      white-space: pre-line;
      margin: 12px 0 0;
    }
    .mat-mdc-footer-cell {
      font-weight: 600;
    }
    table.mat-mdc-table {
      width: 100%;
      min-width: 560px;
    }
    @media (max-width: 600px) {
      .mat-column-average {
        display: none;
      }
      table.mat-mdc-table {
        min-width: 0;
      }
      .mat-mdc-cell,
      .mat-mdc-header-cell,
      .mat-mdc-footer-cell {
        padding: 0 6px;
      }
    }
  `,
})
export class ReceiptDetail {
  private readonly session = inject(Session);
  readonly receiptId = input.required<string>();
  readonly columns = ['product', 'quantity', 'unit_cost', 'amount', 'average'];
  readonly withUnit = withUnit;
  readonly receipt = signal<Receipt | null>(null);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly notice = signal<string | null>(
    (history.state as { notice?: string } | null)?.notice ?? null,
  );

  constructor() {
    effect(() => {
      this.receiptId();
      void this.load();
    });
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      this.receipt.set(
        await call(
          this.session.api.GET('/v1/stock/receipts/{receipt_id}', {
            params: { path: { receipt_id: this.receiptId() } },
          }),
        ),
      );
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }
}
