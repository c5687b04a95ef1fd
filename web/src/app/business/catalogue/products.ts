import { Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { firstValueFrom } from 'rxjs';
import type { components } from '../../api/schema';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { Pager } from '../../core/pager';
import { call, describe } from '../../core/problem';
import { Session } from '../../core/session';
import { Confirm } from '../../shared/confirm';
import { PagedList } from '../../shared/list-state';
import { bpToPercent } from '../invoices/compute';
import { withUnit } from '../stock/quantity';
import { ProductDialog, ProductDialogData } from './product-dialog';

type Product = components['schemas']['Product'];
type Category = components['schemas']['Category'];

/** Every category of the business (pages of 100). */
export async function allCategories(session: Session): Promise<Category[]> {
  const all: Category[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(session.api.GET('/v1/categories', { params: { query: { cursor, limit: 100 } } }));
    all.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor && all.length < 2000);
  return all;
}

/**
 * Products and services (`GET /v1/products`): search by name, filter by
 * category and active; add, edit, deactivate and reactivate.
 */
@Component({
  selector: 'app-products',
  imports: [
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatTableModule,
    PagedList,
    ...FORMAT_PIPES,
  ],
  template: `
    <div class="page">
      <div class="page-head">
        <h1>Products</h1>
        <a mat-stroked-button routerLink="/business/products/categories">Categories</a>
        <a mat-stroked-button routerLink="/business/stock">Stock</a>
        <button mat-flat-button type="button" (click)="edit()">Add a product</button>
      </div>
      @if (notice(); as n) {
        <p role="status" class="notice">{{ n }}</p>
      }
      <form class="filters" (ngSubmit)="search()">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Name starts with</mat-label>
          <input matInput name="q" [(ngModel)]="query" />
        </mat-form-field>
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Category</mat-label>
          <mat-select
            name="category"
            [ngModel]="category() ?? ''"
            (ngModelChange)="filter({ category: $event || null })"
          >
            <mat-option value="">Any</mat-option>
            @for (c of categories(); track c.id) {
              <mat-option [value]="c.id">{{ c.name }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Status</mat-label>
          <mat-select
            name="active"
            [ngModel]="active() ?? 'true'"
            (ngModelChange)="filter({ active: $event === 'true' ? null : $event })"
          >
            <mat-option value="true">Active</mat-option>
            <mat-option value="false">Inactive</mat-option>
            <mat-option value="all">All</mat-option>
          </mat-select>
        </mat-form-field>
        <button mat-stroked-button type="submit">Search</button>
      </form>

      <app-paged-list
        [pager]="pager"
        emptyText="No product matches. Add your products and services to bill them quickly."
      >
        <div class="table-wrap">
          <table mat-table [dataSource]="pager.items()" aria-label="Products">
            <ng-container matColumnDef="name">
              <th mat-header-cell *matHeaderCellDef>Name</th>
              <td mat-cell *matCellDef="let p">
                {{ p.name }}
                @if (p.description) {
                  <div class="muted small">{{ p.description }}</div>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="category">
              <th mat-header-cell *matHeaderCellDef>Category</th>
              <td mat-cell *matCellDef="let p">{{ categoryName(p.category_id) }}</td>
            </ng-container>
            <ng-container matColumnDef="unit_price">
              <th mat-header-cell *matHeaderCellDef class="num">Price</th>
              <td mat-cell *matCellDef="let p" class="num">{{ p.unit_price | rupees }} / {{ p.unit }}</td>
            </ng-container>
            <ng-container matColumnDef="on_hand">
              <th mat-header-cell *matHeaderCellDef class="num">On hand</th>
              <td mat-cell *matCellDef="let p" class="num">
                @if (p.track_stock) {
                  @if (p.low_stock) {
                    <span class="chip open">Low</span>
                  }
                  <a
                    [routerLink]="['/business/products', p.id, 'stock']"
                    [class.negative]="p.on_hand?.startsWith('-')"
                    [attr.aria-label]="'Stock of ' + p.name + ': ' + withUnit(p.on_hand, p.unit)"
                    >{{ withUnit(p.on_hand, p.unit) }}</a
                  >
                } @else {
                  <span class="muted">—</span>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="tax">
              <th mat-header-cell *matHeaderCellDef class="num">GST</th>
              <td mat-cell *matCellDef="let p" class="num">{{ percent(p.tax_rate_bp) }} %</td>
            </ng-container>
            <ng-container matColumnDef="hsn_sac">
              <th mat-header-cell *matHeaderCellDef>HSN/SAC</th>
              <td mat-cell *matCellDef="let p">{{ p.hsn_sac ?? '—' }}</td>
            </ng-container>
            <ng-container matColumnDef="status">
              <th mat-header-cell *matHeaderCellDef>Status</th>
              <td mat-cell *matCellDef="let p">
                <span class="chip" [class.active]="p.active" [class.disabled]="!p.active">{{
                  p.active ? 'Active' : 'Inactive'
                }}</span>
              </td>
            </ng-container>
            <ng-container matColumnDef="actions">
              <th mat-header-cell *matHeaderCellDef><span class="sr-only">Actions</span></th>
              <td mat-cell *matCellDef="let p">
                <div class="actions nowrap">
                  <button mat-button type="button" (click)="edit(p)" [attr.aria-label]="'Edit ' + p.name">Edit</button>
                  @if (p.active) {
                    <button
                      mat-button
                      type="button"
                      (click)="setActive(p, false)"
                      [attr.aria-label]="'Deactivate ' + p.name"
                    >
                      Deactivate
                    </button>
                  } @else {
                    <button
                      mat-button
                      type="button"
                      (click)="setActive(p, true)"
                      [attr.aria-label]="'Reactivate ' + p.name"
                    >
                      Reactivate
                    </button>
                  }
                </div>
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let p; columns: columns"></tr>
          </table>
        </div>
      </app-paged-list>
    </div>
  `,
  styles: `
    .small {
      font-size: 0.8rem;
    }
    .nowrap {
      flex-wrap: nowrap;
    }
    td .chip {
      margin-right: 6px;
    }
    .negative {
      color: var(--mat-sys-error, #ba1a1a);
    }
    table.mat-mdc-table {
      width: 100%;
    }
  `,
})
export class Products {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  private readonly confirm = inject(Confirm);
  readonly q = input<string>();
  readonly category = input<string>();
  /** `true` (default), `false` or `all`. */
  readonly active = input<string>();
  readonly columns = ['name', 'category', 'unit_price', 'on_hand', 'tax', 'hsn_sac', 'status', 'actions'];
  readonly withUnit = withUnit;
  readonly percent = bpToPercent;
  readonly categories = signal<Category[]>([]);
  readonly notice = signal<string | null>(null);
  private readonly defaultRate = signal<number | undefined>(undefined);
  private readonly names = computed(() => new Map(this.categories().map((c) => [c.id, c.name])));
  query = '';

  readonly pager = new Pager<Product>((cursor) => {
    const a = this.active();
    return call(
      this.session.api.GET('/v1/products', {
        params: {
          query: {
            q: this.q() || undefined,
            category: this.category() || undefined,
            active: a === 'all' ? undefined : a !== 'false',
            cursor,
            limit: 25,
          },
        },
      }),
    );
  });

  constructor() {
    effect(() => {
      this.query = this.q() ?? '';
      this.category();
      this.active();
      void this.pager.reload();
    });
    void this.loadCategories();
    if (this.session.user()?.role === 'owner') {
      void call(this.session.api.GET('/v1/business/settings'))
        .then((s) => this.defaultRate.set(s.default_tax_rate_bp))
        .catch(() => undefined);
    }
  }

  private async loadCategories(): Promise<void> {
    try {
      this.categories.set(await allCategories(this.session));
    } catch {
      this.categories.set([]);
    }
  }

  categoryName(id: string | null | undefined): string {
    return id ? (this.names().get(id) ?? '—') : '—';
  }

  search(): void {
    this.filter({ q: this.query.trim() || null });
  }

  filter(change: Record<string, string | null>): void {
    void this.router.navigate([], { queryParams: change, queryParamsHandling: 'merge' });
  }

  async edit(product?: Product): Promise<void> {
    const ref = this.dialog.open<ProductDialog, ProductDialogData, Product>(ProductDialog, {
      data: { product, categories: this.categories(), defaultRate: this.defaultRate() },
      width: '560px',
      maxWidth: '95vw',
    });
    const saved = await firstValueFrom(ref.afterClosed());
    if (!saved) return;
    this.notice.set(product ? `${saved.name} was saved.` : `${saved.name} was added.`);
    await this.pager.refresh();
  }

  async setActive(product: Product, active: boolean): Promise<void> {
    if (!active) {
      const answer = await this.confirm.ask({
        title: `Deactivate ${product.name}?`,
        message: 'It stays on the invoices that have it, but cannot be put on new ones. You can reactivate it later.',
        action: 'Deactivate',
        destructive: true,
      });
      if (!answer) return;
    }
    try {
      if (active) {
        await call(
          this.session.api.PATCH('/v1/products/{product_id}', {
            params: { path: { product_id: product.id } },
            body: { active: true, version: product.version },
          }),
        );
      } else {
        await call(
          this.session.api.DELETE('/v1/products/{product_id}', { params: { path: { product_id: product.id } } }),
        );
      }
      this.notice.set(`${product.name} is ${active ? 'active again' : 'deactivated'}.`);
      await this.pager.refresh();
    } catch (e) {
      this.notice.set(describe(e));
    }
  }
}
