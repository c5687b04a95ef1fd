import { Component, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { Pager } from '../../core/pager';
import { call } from '../../core/problem';
import { Session } from '../../core/session';
import { PagedList } from '../../shared/list-state';
import { StockNav } from './nav';
import { Supplier, openSupplierDialog } from './supplier-dialog';

/** Suppliers (`GET /v1/suppliers`): search by name, add and edit; what was bought from each. */
@Component({
  selector: 'app-suppliers',
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
        <button mat-flat-button type="button" (click)="edit()">Add a supplier</button>
      </div>
      <app-stock-nav />
      @if (notice(); as n) {
        <p role="status" class="notice">{{ n }}</p>
      }
      <form class="filters" (ngSubmit)="search()">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Name starts with</mat-label>
          <input matInput name="q" [(ngModel)]="query" />
        </mat-form-field>
        <button mat-stroked-button type="submit">Search</button>
      </form>
      <app-paged-list
        [pager]="pager"
        emptyText="No supplier yet. Add the wholesalers and makers you buy from."
      >
        <div class="table-wrap">
          <table mat-table [dataSource]="pager.items()" aria-label="Suppliers">
            <ng-container matColumnDef="name">
              <th mat-header-cell *matHeaderCellDef>Supplier</th>
              <td mat-cell *matCellDef="let s">
                {{ s.name }}
                @if (s.phone) {
                  <div class="muted small phone-inline">{{ s.phone | phone }}</div>
                }
                @if (s.gstin) {
                  <div class="muted small">GSTIN {{ s.gstin }}</div>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="phone">
              <th mat-header-cell *matHeaderCellDef>Phone</th>
              <td mat-cell *matCellDef="let s" class="nowrap">{{ s.phone | phone }}</td>
            </ng-container>
            <ng-container matColumnDef="receipts">
              <th mat-header-cell *matHeaderCellDef class="num">Receipts</th>
              <td mat-cell *matCellDef="let s" class="num">
                @if (s.receipts) {
                  <a routerLink="/business/stock/receipts" [queryParams]="{ supplier: s.id }">{{
                    s.receipts
                  }}</a>
                } @else {
                  0
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="purchases">
              <th mat-header-cell *matHeaderCellDef class="num">Bought</th>
              <td mat-cell *matCellDef="let s" class="num">{{ s.purchases ?? 0 | rupees }}</td>
            </ng-container>
            <ng-container matColumnDef="actions">
              <th mat-header-cell *matHeaderCellDef><span class="sr-only">Actions</span></th>
              <td mat-cell *matCellDef="let s">
                <button
                  mat-button
                  type="button"
                  (click)="edit(s)"
                  [attr.aria-label]="'Edit ' + s.name"
                >
                  Edit
                </button>
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let s; columns: columns"></tr>
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
      white-space: nowrap;
    }
    table.mat-mdc-table {
      width: 100%;
      min-width: 520px;
    }
    .phone-inline {
      display: none;
    }
    @media (max-width: 600px) {
      .phone-inline {
        display: block;
      }
      .mat-column-phone {
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
export class Suppliers {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  readonly q = input<string>();
  readonly columns = ['name', 'phone', 'receipts', 'purchases', 'actions'];
  readonly notice = signal<string | null>(null);
  query = '';

  readonly pager = new Pager<Supplier>((cursor) =>
    call(
      this.session.api.GET('/v1/suppliers', {
        params: { query: { q: this.q() || undefined, cursor, limit: 25 } },
      }),
    ),
  );

  constructor() {
    effect(() => {
      this.query = this.q() ?? '';
      void this.pager.reload();
    });
  }

  search(): void {
    void this.router.navigate([], {
      queryParams: { q: this.query.trim() || null },
      queryParamsHandling: 'merge',
    });
  }

  async edit(supplier?: Supplier): Promise<void> {
    const saved = await openSupplierDialog(this.dialog, { supplier });
    if (!saved) return;
    this.notice.set(supplier ? `${saved.name} was saved.` : `${saved.name} was added.`);
    await this.pager.refresh();
  }
}
