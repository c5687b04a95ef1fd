import { Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatTableModule } from '@angular/material/table';
import type { components } from '../../api/schema';
import { todayIn } from '../../core/dates';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { Pager } from '../../core/pager';
import { call, describe } from '../../core/problem';
import { Session } from '../../core/session';
import { PagedList } from '../../shared/list-state';
import { allCategories } from '../catalogue/products';
import { saveCsv } from './csv';
import { StockNav } from './nav';
import { formatQuantity, withUnit } from './quantity';

type StockRow = components['schemas']['StockRow'];
type Category = components['schemas']['Category'];
/** `GET /v1/stock` in JSON (the contract types only its CSV). */
type StockReport = components['schemas']['StockReport'];

/**
 * Stock on hand (`GET /v1/stock`): every tracked product with what is on
 * hand, its average cost and value, the business's total value and the
 * number of products low on stock; filter by category and "low stock only";
 * the whole list as CSV. The filters are in the address (`?low=true`).
 */
@Component({
  selector: 'app-stock-on-hand',
  imports: [
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatSelectModule,
    MatSlideToggleModule,
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

      <section class="cards figures" aria-label="Stock figures">
        <div class="figure">
          <span class="what">Stock value</span>
          <span class="amount" data-testid="stock-total">{{ totalValue() | rupees }}</span>
          <span class="muted hint">At average cost, now</span>
        </div>
        <a
          class="figure link"
          [class.alert]="lowCount() > 0"
          routerLink="/business/stock"
          [queryParams]="{ low: 'true' }"
        >
          <span class="what">Low on stock</span>
          <span class="amount" data-testid="low-count">{{ lowCount() }}</span>
          <span class="muted hint"
            >{{ lowCount() === 1 ? 'product' : 'products' }} at or below the threshold ›</span
          >
        </a>
      </section>

      <div class="filters">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Category</mat-label>
          <mat-select
            [ngModel]="category() ?? ''"
            (ngModelChange)="filter({ category: $event || null })"
          >
            <mat-option value="">Any</mat-option>
            @for (c of categories(); track c.id) {
              <mat-option [value]="c.id">{{ c.name }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-slide-toggle
          [checked]="low() === 'true'"
          (change)="filter({ low: $event.checked ? 'true' : null })"
          >Low stock only</mat-slide-toggle
        >
        <span class="spacer"></span>
        <button mat-stroked-button type="button" (click)="download()" [disabled]="downloading()">
          Download CSV
        </button>
      </div>
      @if (notice(); as n) {
        <p class="error-text" role="alert">{{ n }}</p>
      }

      <app-paged-list [pager]="pager" [emptyText]="emptyText()">
        <div class="table-wrap">
          <table mat-table [dataSource]="pager.items()" aria-label="Stock on hand">
            <ng-container matColumnDef="name">
              <th mat-header-cell *matHeaderCellDef>Product</th>
              <td mat-cell *matCellDef="let r">
                <a [routerLink]="['/business/products', r.product_id, 'stock']">{{ r.name }}</a>
                @if (!r.active) {
                  <span class="chip disabled">Inactive</span>
                }
                @if (categoryName(r.category_id); as c) {
                  <div class="muted small">{{ c }}</div>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="on_hand">
              <th mat-header-cell *matHeaderCellDef class="num">On hand</th>
              <td mat-cell *matCellDef="let r" class="num">
                @if (r.low_stock) {
                  <span class="chip open">Low</span>
                }
                <span [class.negative]="r.on_hand.startsWith('-')">{{
                  withUnit(r.on_hand, r.unit)
                }}</span>
              </td>
            </ng-container>
            <ng-container matColumnDef="threshold">
              <th mat-header-cell *matHeaderCellDef class="num">Low at</th>
              <td mat-cell *matCellDef="let r" class="num">{{ q(r.low_stock_threshold) }}</td>
            </ng-container>
            <ng-container matColumnDef="reorder">
              <th mat-header-cell *matHeaderCellDef class="num">Reorder</th>
              <td mat-cell *matCellDef="let r" class="num">{{ q(r.reorder_quantity) }}</td>
            </ng-container>
            <ng-container matColumnDef="average_cost">
              <th mat-header-cell *matHeaderCellDef class="num">Average cost</th>
              <td mat-cell *matCellDef="let r" class="num">{{ r.average_cost | rupees }}</td>
            </ng-container>
            <ng-container matColumnDef="stock_value">
              <th mat-header-cell *matHeaderCellDef class="num">Value</th>
              <td mat-cell *matCellDef="let r" class="num">{{ r.stock_value | rupees }}</td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let r; columns: columns"></tr>
          </table>
        </div>
      </app-paged-list>
    </div>
  `,
  styles: `
    .figures {
      margin-bottom: 12px;
    }
    .figure {
      display: flex;
      flex-direction: column;
      gap: 4px;
      padding: 12px 16px;
      border-radius: 12px;
      border: 1px solid var(--mat-sys-outline-variant, #ccc);
      color: inherit;
      text-decoration: none;
    }
    .figure.link:hover {
      background: var(--mat-sys-surface-container-low, #f5f5f8);
    }
    .figure.link:focus-visible {
      outline: 2px solid var(--mat-sys-primary);
      outline-offset: 2px;
    }
    .figure.alert {
      border-color: #c89400;
      background: #fff8e1;
    }
    .what {
      font-weight: 500;
    }
    .amount {
      font-size: 1.5rem;
      font-weight: 500;
    }
    .hint,
    .small {
      font-size: 0.8rem;
    }
    .filters {
      gap: 8px 16px;
      align-items: center;
    }
    .spacer {
      flex: 1 1 auto;
    }
    .negative {
      color: var(--mat-sys-error, #ba1a1a);
    }
    td .chip {
      margin: 0 6px;
    }
    table.mat-mdc-table {
      width: 100%;
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
      /* The phone keeps what a shopkeeper checks: what is on hand and its value. */
      .mat-column-threshold,
      .mat-column-reorder,
      .mat-column-average_cost {
        display: none;
      }
      table.mat-mdc-table {
        min-width: 0;
      }
    }
  `,
})
export class StockOnHand {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  readonly category = input<string>();
  /** `true` shows low-stock products only. */
  readonly low = input<string>();
  readonly columns = ['name', 'on_hand', 'threshold', 'reorder', 'average_cost', 'stock_value'];
  readonly withUnit = withUnit;
  readonly categories = signal<Category[]>([]);
  readonly totalValue = signal<number | null>(null);
  readonly lowCount = signal(0);
  readonly downloading = signal(false);
  readonly notice = signal<string | null>(null);
  private readonly names = computed(() => new Map(this.categories().map((c) => [c.id, c.name])));
  readonly emptyText = computed(() =>
    this.low() === 'true'
      ? 'No product is low on stock.'
      : this.category()
        ? 'No product of this category keeps stock.'
        : 'No product keeps stock yet. Turn on “Keep stock” for a product in Products, then record what you receive here.',
  );

  readonly pager = new Pager<StockRow>(async (cursor) => {
    const page = (await call(
      this.session.api.GET('/v1/stock', {
        params: { query: { ...this.query(), cursor, limit: 50 } },
      }),
    )) as StockReport;
    this.totalValue.set(page.total_value);
    this.lowCount.set(page.low_stock_count);
    return page;
  });

  constructor() {
    effect(() => {
      this.category();
      this.low();
      void this.pager.reload();
    });
    void allCategories(this.session)
      .then((c) => this.categories.set(c))
      .catch(() => undefined);
  }

  private query(): { category_id?: string; low_stock?: boolean } {
    return {
      category_id: this.category() || undefined,
      low_stock: this.low() === 'true' || undefined,
    };
  }

  q(value: string | null | undefined): string {
    return formatQuantity(value);
  }

  categoryName(id: string | null | undefined): string | null {
    return id ? (this.names().get(id) ?? null) : null;
  }

  filter(change: Record<string, string | null>): void {
    void this.router.navigate([], { queryParams: change, queryParamsHandling: 'merge' });
  }

  async download(): Promise<void> {
    this.downloading.set(true);
    this.notice.set(null);
    try {
      await saveCsv(
        this.session.api.GET('/v1/stock', {
          params: { query: { ...this.query(), format: 'csv' } },
          parseAs: 'blob',
        }),
        `stock-${todayIn()}.csv`,
      );
    } catch (e) {
      this.notice.set(`The download failed: ${describe(e)}`);
    } finally {
      this.downloading.set(false);
    }
  }
}
