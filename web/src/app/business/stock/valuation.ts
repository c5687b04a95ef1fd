import { Component, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import type { components } from '../../api/schema';
import { isDate, todayIn } from '../../core/dates';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { call, describe } from '../../core/problem';
import { Session } from '../../core/session';
import { ListState } from '../../shared/list-state';
import { allCategories } from '../catalogue/products';
import { saveCsv } from './csv';
import { StockNav } from './nav';
import { withUnit } from './quantity';

/** `GET /v1/stock/valuation` in JSON (the contract types only its CSV). */
type StockValuation = components['schemas']['Valuation'];
type Category = components['schemas']['Category'];

/**
 * The value of stock at the end of a day (`GET /v1/stock/valuation`), by
 * weighted average cost: for the books at the end of a month or year.
 * `?date=` (default today) and `?category=` are in the address.
 */
@Component({
  selector: 'app-valuation',
  imports: [
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatTableModule,
    ListState,
    StockNav,
    ...FORMAT_PIPES,
  ],
  template: `
    <div class="page">
      <div class="page-head"><h1>Stock</h1></div>
      <app-stock-nav />
      <form class="filters" (ngSubmit)="apply()" aria-label="Choose the day">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Value as of</mat-label>
          <input matInput type="date" name="as_of" [(ngModel)]="dayText" [max]="today" required />
        </mat-form-field>
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Category</mat-label>
          <mat-select
            name="category"
            [ngModel]="category() ?? ''"
            (ngModelChange)="go({ category: $event || null })"
          >
            <mat-option value="">Any</mat-option>
            @for (c of categories(); track c.id) {
              <mat-option [value]="c.id">{{ c.name }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <button mat-stroked-button type="submit">Show</button>
        <span class="spacer"></span>
        <button
          mat-stroked-button
          type="button"
          (click)="download()"
          [disabled]="!data() || downloading()"
        >
          Download CSV
        </button>
      </form>
      @if (notice(); as n) {
        <p class="error-text" role="alert">{{ n }}</p>
      }
      <app-list-state
        [loading]="loading()"
        [error]="error()"
        [empty]="!!data() && !data()!.rows.length"
        emptyText="No stock by the end of that day."
        (retry)="load()"
      >
        @if (data(); as v) {
          <p class="summary">
            Stock at the end of {{ v.as_of | indianDate }}:
            <strong data-testid="valuation-total">{{ v.total_value | rupees }}</strong>
            <span class="muted"
              >· {{ v.rows.length }} {{ v.rows.length === 1 ? 'product' : 'products' }}</span
            >
          </p>
          <div class="table-wrap">
            <table mat-table [dataSource]="v.rows" aria-label="Stock valuation">
              <ng-container matColumnDef="name">
                <th mat-header-cell *matHeaderCellDef>Product</th>
                <td mat-cell *matCellDef="let r">
                  <a [routerLink]="['/business/products', r.product_id, 'stock']">{{ r.name }}</a>
                </td>
                <td mat-footer-cell *matFooterCellDef>Total</td>
              </ng-container>
              <ng-container matColumnDef="on_hand">
                <th mat-header-cell *matHeaderCellDef class="num">On hand</th>
                <td mat-cell *matCellDef="let r" class="num">{{ withUnit(r.on_hand, r.unit) }}</td>
                <td mat-footer-cell *matFooterCellDef></td>
              </ng-container>
              <ng-container matColumnDef="average_cost">
                <th mat-header-cell *matHeaderCellDef class="num">Average cost</th>
                <td mat-cell *matCellDef="let r" class="num">{{ r.average_cost | rupees }}</td>
                <td mat-footer-cell *matFooterCellDef></td>
              </ng-container>
              <ng-container matColumnDef="value">
                <th mat-header-cell *matHeaderCellDef class="num">Value</th>
                <td mat-cell *matCellDef="let r" class="num">{{ r.value | rupees }}</td>
                <td mat-footer-cell *matFooterCellDef class="num">{{ v.total_value | rupees }}</td>
              </ng-container>
              <tr mat-header-row *matHeaderRowDef="columns"></tr>
              <tr mat-row *matRowDef="let r; columns: columns"></tr>
              <tr mat-footer-row *matFooterRowDef="columns"></tr>
            </table>
          </div>
        }
      </app-list-state>
    </div>
  `,
  styles: `
    .filters {
      gap: 8px 12px;
      align-items: center;
    }
    .spacer {
      flex: 1 1 auto;
    }
    .summary {
      font-size: 1.1rem;
    }
    .summary strong {
      font-size: 1.3rem;
    }
    .mat-mdc-footer-cell {
      font-weight: 600;
    }
    table.mat-mdc-table {
      width: 100%;
      min-width: 480px;
    }
  `,
})
export class Valuation {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  /** `?date=`: the day valued (default today). */
  readonly date = input<string>();
  readonly category = input<string>();
  readonly columns = ['name', 'on_hand', 'average_cost', 'value'];
  readonly withUnit = withUnit;
  readonly today = todayIn();
  readonly categories = signal<Category[]>([]);
  readonly data = signal<StockValuation | null>(null);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly notice = signal<string | null>(null);
  readonly downloading = signal(false);
  dayText = todayIn();

  constructor() {
    effect(() => {
      const a = this.date();
      this.dayText = isDate(a) ? a : this.today;
      this.category();
      void this.load();
    });
    void allCategories(this.session)
      .then((c) => this.categories.set(c))
      .catch(() => undefined);
  }

  private query(): { as_of?: string; category_id?: string } {
    const a = this.date();
    return { as_of: isDate(a) ? a : undefined, category_id: this.category() || undefined };
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      this.data.set(
        (await call(
          this.session.api.GET('/v1/stock/valuation', { params: { query: this.query() } }),
        )) as StockValuation,
      );
    } catch (e) {
      this.data.set(null);
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  apply(): void {
    this.go({ date: isDate(this.dayText) && this.dayText !== this.today ? this.dayText : null });
  }

  go(change: Record<string, string | null>): void {
    void this.router.navigate([], { queryParams: change, queryParamsHandling: 'merge' });
  }

  async download(): Promise<void> {
    const v = this.data();
    if (!v) return;
    this.downloading.set(true);
    this.notice.set(null);
    try {
      await saveCsv(
        this.session.api.GET('/v1/stock/valuation', {
          params: { query: { ...this.query(), as_of: v.as_of, format: 'csv' } },
          parseAs: 'blob',
        }),
        `stock-valuation-${v.as_of}.csv`,
      );
    } catch (e) {
      this.notice.set(`The download failed: ${describe(e)}`);
    } finally {
      this.downloading.set(false);
    }
  }
}
