import { Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import { firstValueFrom } from 'rxjs';
import type { components } from '../../api/schema';
import { todayIn } from '../../core/dates';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { Pager } from '../../core/pager';
import { call, describe } from '../../core/problem';
import { Session } from '../../core/session';
import { ListState, PagedList } from '../../shared/list-state';
import { saveCsv } from '../stock/csv';
import { formatQuantity, movementKind, withUnit } from '../stock/quantity';
import { AdjustDialog } from './adjust-dialog';
import { allCategories } from './products';
import { ProductDialog, ProductDialogData } from './product-dialog';

type Product = components['schemas']['Product'];
type StockMovement = components['schemas']['StockMovement'];
/** `GET /v1/products/{id}/movements` in JSON (the contract types only its CSV). */
type Movements = components['schemas']['Page_StockMovement'];

/**
 * A product's stock (`/business/products/:productId/stock`): on hand, the
 * average cost and value, the low-stock threshold; the movement ledger
 * (`GET /v1/products/{id}/movements`, oldest first, with the running
 * balance after each) between two dates, as CSV too; and "Adjust stock".
 */
@Component({
  selector: 'app-product-stock',
  imports: [
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatTableModule,
    ListState,
    PagedList,
    ...FORMAT_PIPES,
  ],
  template: `
    <div class="page">
      <p class="back">
        <a routerLink="/business/products">‹ Products</a> ·
        <a routerLink="/business/stock">Stock on hand</a>
      </p>
      @if (notice(); as n) {
        <p role="status" class="notice">{{ n }}</p>
      }
      <app-list-state [loading]="loading()" [error]="error()" (retry)="load()">
        @if (product(); as p) {
          <div class="page-head">
            <h1>{{ p.name }}</h1>
            @if (p.track_stock) {
              <button mat-flat-button type="button" (click)="adjust()">Adjust stock</button>
              <a
                mat-stroked-button
                routerLink="/business/stock/receipts/new"
                [queryParams]="{ product: p.id }"
                >Record a receipt</a
              >
            }
            <button mat-button type="button" (click)="edit()">Edit product</button>
          </div>
          @if (!p.track_stock) {
            <mat-card appearance="outlined" class="off">
              <p>Stock is not kept for {{ p.name }}.</p>
              <p class="muted">
                Turn on “Keep stock” to know what is on hand: each invoice, receipt and adjustment
                then moves it.
              </p>
              <button mat-flat-button type="button" (click)="edit()">Keep stock of it</button>
            </mat-card>
          } @else {
            <section class="cards figures" aria-label="Stock figures">
              <div class="figure" [class.alert]="p.low_stock">
                <span class="what">On hand</span>
                <span class="amount" [class.negative]="negative()" data-testid="on-hand">{{
                  withUnit(p.on_hand, p.unit)
                }}</span>
                @if (p.low_stock) {
                  <span class="chip open">Low · at or below {{ q(p.low_stock_threshold) }}</span>
                } @else if (p.low_stock_threshold) {
                  <span class="muted hint"
                    >Low at {{ withUnit(p.low_stock_threshold, p.unit) }}</span
                  >
                } @else {
                  <span class="muted hint">No low-stock threshold</span>
                }
              </div>
              <div class="figure">
                <span class="what">Average cost</span>
                <span class="amount" data-testid="average-cost">{{
                  p.average_cost ?? 0 | rupees
                }}</span>
                <span class="muted hint"
                  >per {{ p.unit }} · sells at {{ p.unit_price | rupees }}</span
                >
              </div>
              <div class="figure">
                <span class="what">Stock value</span>
                <span class="amount" data-testid="stock-value">{{
                  p.stock_value ?? 0 | rupees
                }}</span>
                <span class="muted hint">What it cost to buy</span>
              </div>
              <div class="figure">
                <span class="what">Reorder</span>
                <span class="amount">{{
                  p.reorder_quantity ? withUnit(p.reorder_quantity, p.unit) : '—'
                }}</span>
                <span class="muted hint">{{
                  p.reorder_quantity ? 'when low' : 'No reorder quantity set'
                }}</span>
              </div>
            </section>
          }
        }
      </app-list-state>

      @if (product()?.track_stock) {
        <h2>Movements</h2>
        <form class="filters" (ngSubmit)="apply()" aria-label="Movements between">
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>From</mat-label>
            <input matInput type="date" name="from" [(ngModel)]="fromText" [max]="today" />
          </mat-form-field>
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>To</mat-label>
            <input matInput type="date" name="to" [(ngModel)]="toText" [max]="today" />
          </mat-form-field>
          <button mat-stroked-button type="submit">Show</button>
          <span class="spacer"></span>
          <button mat-stroked-button type="button" (click)="download()" [disabled]="downloading()">
            Download CSV
          </button>
        </form>
        <app-paged-list [pager]="pager" emptyText="No movement in this period.">
          <div class="table-wrap">
            <table mat-table [dataSource]="pager.items()" aria-label="Stock movements">
              <ng-container matColumnDef="date">
                <th mat-header-cell *matHeaderCellDef>Date</th>
                <td mat-cell *matCellDef="let m" class="nowrap">{{ m.date | indianDate }}</td>
              </ng-container>
              <ng-container matColumnDef="what">
                <th mat-header-cell *matHeaderCellDef>What</th>
                <td mat-cell *matCellDef="let m">
                  <span class="kind">{{ kind(m.kind) }}</span>
                  <div class="muted small">
                    @if (m.invoice_id) {
                      <a [routerLink]="['/business/invoices', m.invoice_id]">{{
                        m.invoice_number ?? 'Invoice'
                      }}</a>
                    }
                    @if (m.receipt_id) {
                      <a [routerLink]="['/business/stock/receipts', m.receipt_id]"
                        >Bill {{ m.bill_number }}</a
                      >
                    }
                    {{ party(m) }}
                  </div>
                </td>
              </ng-container>
              <ng-container matColumnDef="quantity">
                <th mat-header-cell *matHeaderCellDef class="num">In / out</th>
                <td
                  mat-cell
                  *matCellDef="let m"
                  class="num"
                  [class.out]="m.quantity.startsWith('-')"
                >
                  {{ q(m.quantity, true) }}
                </td>
              </ng-container>
              <ng-container matColumnDef="unit_cost">
                <th mat-header-cell *matHeaderCellDef class="num">Unit cost</th>
                <td mat-cell *matCellDef="let m" class="num">{{ m.unit_cost | rupees }}</td>
              </ng-container>
              <ng-container matColumnDef="value">
                <th mat-header-cell *matHeaderCellDef class="num">Value</th>
                <td mat-cell *matCellDef="let m" class="num">{{ m.value | rupees }}</td>
              </ng-container>
              <ng-container matColumnDef="on_hand_after">
                <th mat-header-cell *matHeaderCellDef class="num">On hand</th>
                <td mat-cell *matCellDef="let m" class="num balance">{{ q(m.on_hand_after) }}</td>
              </ng-container>
              <ng-container matColumnDef="average_cost_after">
                <th mat-header-cell *matHeaderCellDef class="num">Average cost</th>
                <td mat-cell *matCellDef="let m" class="num">
                  {{ m.average_cost_after | rupees }}
                </td>
              </ng-container>
              <ng-container matColumnDef="value_after">
                <th mat-header-cell *matHeaderCellDef class="num">Stock value</th>
                <td mat-cell *matCellDef="let m" class="num">{{ m.value_after | rupees }}</td>
              </ng-container>
              <tr mat-header-row *matHeaderRowDef="columns"></tr>
              <tr mat-row *matRowDef="let m; columns: columns"></tr>
            </table>
          </div>
        </app-paged-list>
      }
    </div>
  `,
  styles: `
    .back {
      margin-top: 0;
    }
    .off {
      padding: 16px;
      max-width: 640px;
    }
    .off p {
      margin: 0 0 8px;
    }
    .figures {
      margin-bottom: 16px;
    }
    .figure {
      display: flex;
      flex-direction: column;
      gap: 4px;
      padding: 12px 16px;
      border-radius: 12px;
      border: 1px solid var(--mat-sys-outline-variant, #ccc);
    }
    .figure.alert {
      border-color: #c89400;
      background: #fff8e1;
    }
    .figure .chip {
      align-self: flex-start;
    }
    .what {
      font-weight: 500;
    }
    .amount {
      font-size: 1.5rem;
      font-weight: 500;
    }
    .negative,
    td.out {
      color: var(--mat-sys-error, #ba1a1a);
    }
    .hint,
    .small {
      font-size: 0.8rem;
    }
    .small a {
      margin-right: 4px;
    }
    h2 {
      font-size: 1.2rem;
      font-weight: 500;
      margin: 16px 0 8px;
    }
    .filters {
      gap: 8px 12px;
      align-items: center;
    }
    .spacer {
      flex: 1 1 auto;
    }
    .nowrap {
      white-space: nowrap;
    }
    .balance {
      font-weight: 500;
    }
    table.mat-mdc-table {
      width: 100%;
      min-width: 860px;
    }
    @media (max-width: 600px) {
      .figures {
        grid-template-columns: 1fr 1fr;
        gap: 8px;
      }
      .figure {
        padding: 10px 12px;
      }
      .amount {
        font-size: 1.15rem;
      }
      .filters mat-form-field {
        width: calc(50% - 6px);
      }
      /* The running balance on hand stays; the costs and values are in the CSV and on a wider screen. */
      .mat-column-unit_cost,
      .mat-column-value,
      .mat-column-average_cost_after,
      .mat-column-value_after {
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
export class ProductStock {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  readonly productId = input.required<string>();
  readonly from = input<string>();
  readonly to = input<string>();
  readonly columns = [
    'date',
    'what',
    'quantity',
    'unit_cost',
    'value',
    'on_hand_after',
    'average_cost_after',
    'value_after',
  ];
  readonly withUnit = withUnit;
  readonly kind = movementKind;
  readonly today = todayIn();
  readonly product = signal<Product | null>(null);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly notice = signal<string | null>(null);
  readonly downloading = signal(false);
  readonly negative = computed(() => this.product()?.on_hand?.startsWith('-') ?? false);
  fromText = '';
  toText = '';

  readonly pager = new Pager<StockMovement>(
    async (cursor) =>
      (await call(
        this.session.api.GET('/v1/products/{product_id}/movements', {
          params: {
            path: { product_id: this.productId() },
            query: { ...this.range(), cursor, limit: 50 },
          },
        }),
      )) as Movements,
  );

  constructor() {
    effect(() => {
      this.productId();
      this.fromText = this.from() ?? '';
      this.toText = this.to() ?? '';
      void this.load();
      void this.pager.reload();
    });
  }

  private range(): { from?: string; to?: string } {
    return { from: this.from() || undefined, to: this.to() || undefined };
  }

  q(value: string | null | undefined, signed = false): string {
    return formatQuantity(value, signed);
  }

  party(m: StockMovement): string {
    const who = m.customer_name ?? m.supplier_name;
    return [who, m.reason].filter(Boolean).join(' · ');
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      this.product.set(
        await call(
          this.session.api.GET('/v1/products/{product_id}', {
            params: { path: { product_id: this.productId() } },
          }),
        ),
      );
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  apply(): void {
    void this.router.navigate([], {
      queryParams: { from: this.fromText || null, to: this.toText || null },
      queryParamsHandling: 'merge',
    });
  }

  async download(): Promise<void> {
    const p = this.product();
    if (!p) return;
    this.downloading.set(true);
    this.notice.set(null);
    try {
      await saveCsv(
        this.session.api.GET('/v1/products/{product_id}/movements', {
          params: { path: { product_id: p.id }, query: { ...this.range(), format: 'csv' } },
          parseAs: 'blob',
        }),
        `stock-${p.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${todayIn()}.csv`,
      );
    } catch (e) {
      this.notice.set(`The download failed: ${describe(e)}`);
    } finally {
      this.downloading.set(false);
    }
  }

  async adjust(): Promise<void> {
    const p = this.product();
    if (!p) return;
    const ref = this.dialog.open<AdjustDialog, Product, StockMovement>(AdjustDialog, {
      data: p,
      width: '480px',
      maxWidth: '95vw',
    });
    const m = await firstValueFrom(ref.afterClosed());
    if (!m) return;
    this.notice.set(
      `${movementKind(m.kind)} of ${formatQuantity(m.quantity, true)} ${p.unit} recorded: ${withUnit(m.on_hand_after, p.unit)} on hand.`,
    );
    await Promise.all([this.load(), this.pager.refresh()]);
  }

  async edit(): Promise<void> {
    const p = this.product();
    if (!p) return;
    const categories = await allCategories(this.session).catch(() => []);
    const ref = this.dialog.open<ProductDialog, ProductDialogData, Product>(ProductDialog, {
      data: { product: p, categories },
      width: '560px',
      maxWidth: '95vw',
    });
    const saved = await firstValueFrom(ref.afterClosed());
    if (!saved) return;
    this.notice.set(`${saved.name} was saved.`);
    this.product.set(saved);
    await this.pager.reload();
  }
}
