import { BreakpointObserver } from '@angular/cdk/layout';
import { Component, DestroyRef, computed, effect, inject, input, untracked } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormsModule, ReactiveFormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { debounceTime, distinctUntilChanged, map } from 'rxjs';
import type { components } from '../../api/schema';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { Pager } from '../../core/pager';
import { call } from '../../core/problem';
import { Session } from '../../core/session';
import { PagedList } from '../../shared/list-state';

type Customer = components['schemas']['Customer'];

/** `?status=`: the API's `active` / `inactive`, or `all` (no filter). Active by default. */
export type StatusFilter = 'active' | 'inactive' | 'all';

/** The `status` query parameter of `GET /v1/customers` for a filter. */
export function statusParam(filter: string | undefined): 'active' | 'inactive' | undefined {
  if (filter === 'all') return undefined;
  return filter === 'inactive' ? 'inactive' : 'active';
}

/**
 * The customers (`GET /v1/customers`): search by name or phone as you
 * type, active / inactive / all, with each one's balance; the search and
 * filter are in the address (`?q=…&status=…`).
 */
@Component({
  selector: 'app-customers',
  imports: [
    FormsModule,
    ReactiveFormsModule,
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
        <h1>Customers</h1>
        <a mat-flat-button routerLink="/business/customers/new">Add a customer</a>
      </div>

      <form class="filters" (ngSubmit)="search()" role="search" aria-label="Find customers">
        <mat-form-field appearance="outline" subscriptSizing="dynamic" class="search">
          <mat-label>Name or phone</mat-label>
          <input matInput type="search" [formControl]="query" autocomplete="off" />
        </mat-form-field>
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Show</mat-label>
          <mat-select
            name="status"
            [ngModel]="filter()"
            (ngModelChange)="navigate({ status: $event === 'active' ? null : $event })"
          >
            <mat-option value="active">Active customers</mat-option>
            <mat-option value="inactive">Deactivated</mat-option>
            <mat-option value="all">All</mat-option>
          </mat-select>
        </mat-form-field>
      </form>

      <app-paged-list [pager]="pager" [emptyText]="emptyText()">
        <div class="table-wrap">
          <table
            mat-table
            [dataSource]="pager.items()"
            aria-label="Customers"
            [class.compact]="narrow()"
          >
            <ng-container matColumnDef="name">
              <th mat-header-cell *matHeaderCellDef>Name</th>
              <td mat-cell *matCellDef="let c">
                <a [routerLink]="['/business/customers', c.id]" class="name">{{ c.name }}</a>
                @if (narrow()) {
                  <span class="muted small"
                    >{{ c.phone ? (c.phone | phone) : ''
                    }}{{ c.status === 'inactive' ? ' · Deactivated' : '' }}</span
                  >
                } @else if (c.business_type) {
                  <span class="muted small">{{ c.business_type }}</span>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="phone">
              <th mat-header-cell *matHeaderCellDef>Phone</th>
              <td mat-cell *matCellDef="let c">{{ c.phone | phone }}</td>
            </ng-container>
            <ng-container matColumnDef="gstin">
              <th mat-header-cell *matHeaderCellDef>GSTIN</th>
              <td mat-cell *matCellDef="let c" class="mono">{{ c.gstin ?? '—' }}</td>
            </ng-container>
            <ng-container matColumnDef="status">
              <th mat-header-cell *matHeaderCellDef>Status</th>
              <td mat-cell *matCellDef="let c">
                <span class="chip {{ c.status === 'active' ? 'active' : 'disabled' }}">{{
                  c.status === 'active' ? 'Active' : 'Deactivated'
                }}</span>
              </td>
            </ng-container>
            <ng-container matColumnDef="balance">
              <th mat-header-cell *matHeaderCellDef class="num">Balance</th>
              <td mat-cell *matCellDef="let c" class="num">
                <span [class.owes]="c.balance > 0" [class.advance]="c.balance < 0">{{
                  (c.balance < 0 ? -c.balance : c.balance) | rupees
                }}</span>
                <span class="muted small">{{
                  c.balance > 0 ? 'owes you' : c.balance < 0 ? 'advance' : 'settled'
                }}</span>
              </td>
            </ng-container>
            <ng-container matColumnDef="actions">
              <th mat-header-cell *matHeaderCellDef><span class="sr-only">Actions</span></th>
              <td mat-cell *matCellDef="let c">
                @if (c.status === 'active') {
                  <a
                    mat-button
                    routerLink="/business/invoices/new"
                    [queryParams]="{ customer_id: c.id }"
                    [attr.aria-label]="'New invoice for ' + c.name"
                    >New invoice</a
                  >
                }
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns()"></tr>
            <tr
              mat-row
              *matRowDef="let c; columns: columns()"
              [class.inactive]="c.status === 'inactive'"
            ></tr>
          </table>
        </div>
      </app-paged-list>
    </div>
  `,
  styles: `
    .filters {
      gap: 8px 12px;
      margin-bottom: 8px;
    }
    .filters mat-form-field.search {
      width: 320px;
    }
    @media (max-width: 600px) {
      .filters mat-form-field.search {
        width: 100%;
      }
    }
    table.mat-mdc-table {
      width: 100%;
    }
    .name {
      font-weight: 500;
    }
    .small {
      display: block;
      font-size: 0.8rem;
    }
    .mono {
      font-family: ui-monospace, monospace;
      font-size: 0.9rem;
    }
    .owes {
      color: #8c1d18;
      font-weight: 500;
    }
    .advance {
      color: #0b5a1f;
      font-weight: 500;
    }
    tr.inactive td {
      color: var(--mat-sys-on-surface-variant);
    }
    table.compact {
      min-width: 0;
    }
    table.compact td,
    table.compact th {
      padding: 0 8px;
    }
  `,
})
export class Customers {
  private readonly session = inject(Session);
  private readonly router = inject(Router);

  readonly q = input<string>();
  readonly status = input<string>();
  readonly query = new FormControl('', { nonNullable: true });

  readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 600px)')
      .pipe(map((s) => s.matches)),
    { initialValue: false },
  );
  readonly filter = computed<StatusFilter>(() => {
    const s = this.status();
    return s === 'inactive' || s === 'all' ? s : 'active';
  });
  readonly columns = computed(() => {
    if (this.narrow()) return ['name', 'balance'];
    const cols = ['name', 'phone', 'gstin', 'balance', 'actions'];
    if (this.filter() !== 'active') cols.splice(3, 0, 'status');
    return cols;
  });
  readonly emptyText = computed(() => {
    if (this.q()) return `No customer matches “${this.q()}”.`;
    if (this.filter() === 'inactive') return 'No deactivated customers.';
    return 'No customers yet. Add your first customer to start billing.';
  });

  readonly pager = new Pager<Customer>((cursor) =>
    call(
      this.session.api.GET('/v1/customers', {
        params: {
          query: {
            q: this.q() || undefined,
            status: statusParam(this.status()),
            cursor,
            limit: 50,
          },
        },
      }),
    ),
  );

  constructor() {
    effect(() => {
      const q = this.q() ?? '';
      this.status();
      untracked(() => {
        if (this.query.value.trim() !== q) this.query.setValue(q, { emitEvent: false });
        void this.pager.reload();
      });
    });
    // Search as the user types (a pause of 300 ms), keeping the address in step.
    this.query.valueChanges
      .pipe(
        debounceTime(300),
        map((v) => v.trim()),
        distinctUntilChanged(),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe((q) => {
        if (q !== (this.q() ?? '')) this.navigate({ q: q || null });
      });
  }

  search(): void {
    const q = this.query.value.trim();
    if (q !== (this.q() ?? '')) this.navigate({ q: q || null });
    else void this.pager.reload();
  }

  navigate(change: Record<string, string | null>): void {
    void this.router.navigate([], {
      queryParams: change,
      queryParamsHandling: 'merge',
      replaceUrl: 'q' in change,
    });
  }
}
