import { Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { Pager } from '../../core/pager';
import { call, describe } from '../../core/problem';
import { Session } from '../../core/session';
import { PagedList } from '../../shared/list-state';
import { Customer, InvoiceStatus, InvoiceSummary, STATUSES } from './billing';
import { todayIn } from '../../core/dates';
import { saveFile } from '../../core/files';
import { paiseToRupees, rupeesToPaise } from './compute';
import { CustomerPicker } from './customer-picker';

/**
 * Invoices (`GET /v1/invoices`): every filter of the API kept in the
 * address (`?status=overdue`, `?customer_id=`…), cursor pages, and a CSV
 * export of the same filters (`GET /v1/reports/invoices?format=csv`).
 */
@Component({
  selector: 'app-invoice-list',
  imports: [
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatTableModule,
    PagedList,
    CustomerPicker,
    ...FORMAT_PIPES,
  ],
  template: `
    <div class="page">
      <div class="page-head">
        <h1>Invoices</h1>
        <button mat-stroked-button type="button" (click)="exportCsv()" [disabled]="exporting()">
          {{ exporting() ? 'Exporting…' : 'Export CSV' }}
        </button>
        <a mat-flat-button routerLink="/business/invoices/new">New invoice</a>
      </div>

      <nav class="quick" aria-label="Invoices by status">
        <a
          [routerLink]="[]"
          [queryParams]="{ status: null }"
          queryParamsHandling="merge"
          [class.on]="!status()"
          >All</a
        >
        @for (s of quick; track s) {
          <a
            [routerLink]="[]"
            [queryParams]="{ status: s }"
            queryParamsHandling="merge"
            [class.on]="status() === s"
            [attr.aria-current]="status() === s ? 'true' : null"
            >{{ s | label }}</a
          >
        }
      </nav>

      <form class="filters" (ngSubmit)="search()">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Invoice number</mat-label>
          <input matInput name="q" [(ngModel)]="draft.q" placeholder="42 or INV-0042" />
        </mat-form-field>
        <mat-form-field appearance="outline" subscriptSizing="dynamic" [class.folded]="!more()">
          <mat-label>Status</mat-label>
          <mat-select
            name="status"
            [ngModel]="status() ?? ''"
            (ngModelChange)="filter({ status: $event || null })"
          >
            <mat-option value="">Any</mat-option>
            @for (s of statuses; track s) {
              <mat-option [value]="s">{{ s | label }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <div class="picker">
          <app-customer-picker
            label="Customer"
            hint=""
            [dense]="true"
            [value]="customer()"
            (chosen)="filter({ customer_id: $event?.id ?? null })"
          />
        </div>
        <mat-form-field appearance="outline" subscriptSizing="dynamic" [class.folded]="!more()">
          <mat-label>Dated from</mat-label>
          <input matInput type="date" name="from" [(ngModel)]="draft.from" />
        </mat-form-field>
        <mat-form-field appearance="outline" subscriptSizing="dynamic" [class.folded]="!more()">
          <mat-label>Dated to</mat-label>
          <input matInput type="date" name="to" [(ngModel)]="draft.to" />
        </mat-form-field>
        @if (more()) {
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>Due from</mat-label>
            <input matInput type="date" name="due_from" [(ngModel)]="draft.due_from" />
          </mat-form-field>
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>Due to</mat-label>
            <input matInput type="date" name="due_to" [(ngModel)]="draft.due_to" />
          </mat-form-field>
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>Total at least (₹)</mat-label>
            <input matInput name="min_total" inputmode="decimal" [(ngModel)]="draft.min_total" />
          </mat-form-field>
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>Total at most (₹)</mat-label>
            <input matInput name="max_total" inputmode="decimal" [(ngModel)]="draft.max_total" />
          </mat-form-field>
        }
        <div class="actions">
          <button mat-stroked-button type="submit">Search</button>
          <button
            mat-button
            type="button"
            (click)="more.set(!more())"
            [attr.aria-expanded]="more()"
          >
            {{ more() ? 'Fewer filters' : 'More filters' }}
          </button>
          @if (filtered()) {
            <button mat-button type="button" (click)="clear()">Clear filters</button>
          }
        </div>
      </form>
      @if (notice(); as n) {
        <p class="error-text" role="alert">{{ n }}</p>
      }
      @if (said(); as n) {
        <p class="notice" role="status">{{ n }}</p>
      }

      <app-paged-list
        [pager]="pager"
        [emptyText]="filtered() ? 'No invoice matches these filters.' : 'No invoices yet.'"
      >
        <div class="table-wrap">
          <table mat-table [dataSource]="pager.items()" aria-label="Invoices">
            <ng-container matColumnDef="number">
              <th mat-header-cell *matHeaderCellDef>Number</th>
              <td mat-cell *matCellDef="let i">
                <a [routerLink]="['/business/invoices', i.id]">{{ i.number ?? 'Draft' }}</a>
              </td>
            </ng-container>
            <ng-container matColumnDef="customer">
              <th mat-header-cell *matHeaderCellDef>Customer</th>
              <td mat-cell *matCellDef="let i">{{ i.customer_name }}</td>
            </ng-container>
            <ng-container matColumnDef="invoice_date">
              <th mat-header-cell *matHeaderCellDef>Date</th>
              <td mat-cell *matCellDef="let i" class="nowrap">{{ i.invoice_date | indianDate }}</td>
            </ng-container>
            <ng-container matColumnDef="due_date">
              <th mat-header-cell *matHeaderCellDef>Due</th>
              <td mat-cell *matCellDef="let i" class="nowrap">{{ i.due_date | indianDate }}</td>
            </ng-container>
            <ng-container matColumnDef="total">
              <th mat-header-cell *matHeaderCellDef class="num">Total</th>
              <td mat-cell *matCellDef="let i" class="num">{{ i.total | rupees }}</td>
            </ng-container>
            <ng-container matColumnDef="balance_due">
              <th mat-header-cell *matHeaderCellDef class="num">Balance due</th>
              <td mat-cell *matCellDef="let i" class="num">{{ i.balance_due | rupees }}</td>
            </ng-container>
            <ng-container matColumnDef="status">
              <th mat-header-cell *matHeaderCellDef>Status</th>
              <td mat-cell *matCellDef="let i">
                <span class="chip {{ i.status }}">{{ i.status | label }}</span>
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let i; columns: columns"></tr>
          </table>
        </div>
        <ul class="phone-list" aria-label="Invoices">
          @for (i of pager.items(); track i.id) {
            <li class="card">
              <a [routerLink]="['/business/invoices', i.id]"
                >{{ i.number ?? 'Draft' }} · {{ i.customer_name }}</a
              >
              <span class="chip {{ i.status }}">{{ i.status | label }}</span>
              <span class="muted"
                >{{ i.invoice_date | indianDate }} · due {{ i.due_date | indianDate }}</span
              >
              <span class="due">{{ i.balance_due | rupees }}</span>
              <span class="muted">Total {{ i.total | rupees }}</span>
            </li>
          }
        </ul>
      </app-paged-list>
    </div>
  `,
  styles: `
    .quick {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 8px;
      margin: 0 0 12px;
    }
    .quick a {
      padding: 4px 12px;
      border-radius: 16px;
      text-decoration: none;
      border: 1px solid var(--mat-sys-outline-variant);
    }
    .quick a.on {
      background: var(--mat-sys-secondary-container);
      border-color: transparent;
      font-weight: 500;
    }
    .picker {
      width: 240px;
    }
    .filters .actions {
      align-self: center;
      padding: 4px 0;
    }
    .nowrap {
      white-space: nowrap;
    }
    table.mat-mdc-table {
      width: 100%;
    }
    .chip.overdue {
      background: #fde2e1;
      color: #8c1d18;
    }
    .chip.partially_paid {
      background: #fff1c7;
      color: #6b4e00;
    }
    .chip.unpaid {
      background: #dae2f9;
      color: #0d3a7a;
    }
    .chip.cancelled {
      text-decoration: line-through;
    }
    .phone-list {
      display: none;
      list-style: none;
      padding: 0;
      margin: 0;
    }
    .card {
      display: grid;
      grid-template-columns: 1fr auto;
      gap: 2px 8px;
      padding: 10px 4px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .card .due {
      text-align: right;
      font-weight: 500;
    }
    .card .chip {
      align-self: start;
      justify-self: end;
    }
    @media (max-width: 600px) {
      .picker {
        width: 100%;
      }
      .folded {
        display: none;
      }
      .table-wrap {
        display: none;
      }
      .phone-list {
        display: block;
      }
    }
  `,
})
export class InvoiceList {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  readonly status = input<InvoiceStatus>();
  readonly customer_id = input<string>();
  readonly q = input<string>();
  readonly from = input<string>();
  readonly to = input<string>();
  readonly due_from = input<string>();
  readonly due_to = input<string>();
  readonly min_total = input<string>();
  readonly max_total = input<string>();

  readonly statuses = STATUSES;
  readonly quick: InvoiceStatus[] = ['overdue', 'unpaid', 'partially_paid', 'paid', 'draft'];
  readonly columns = [
    'number',
    'customer',
    'invoice_date',
    'due_date',
    'total',
    'balance_due',
    'status',
  ];
  readonly more = signal(false);
  readonly exporting = signal(false);
  readonly notice = signal<string | null>(null);
  /** What the page that sent here said (a draft deleted). */
  readonly said = signal<string | null>(
    (history.state as { notice?: string } | null)?.notice ?? null,
  );
  readonly customer = signal<Customer | null>(null);
  /** The typed filters, applied on Search. Amounts in rupees. */
  draft = { q: '', from: '', to: '', due_from: '', due_to: '', min_total: '', max_total: '' };

  readonly filtered = computed(() => Object.values(this.filters()).some((v) => v !== undefined));

  private readonly filters = computed(() => ({
    status: this.status() || undefined,
    customer_id: this.customer_id() || undefined,
    q: this.q() || undefined,
    from: this.from() || undefined,
    to: this.to() || undefined,
    due_from: this.due_from() || undefined,
    due_to: this.due_to() || undefined,
    min_total: this.amount(this.min_total()),
    max_total: this.amount(this.max_total()),
  }));

  readonly pager = new Pager<InvoiceSummary>((cursor) =>
    call(
      this.session.api.GET('/v1/invoices', {
        params: { query: { ...this.filters(), cursor, limit: 25 } },
      }),
    ),
  );

  constructor() {
    effect(() => {
      const f = this.filters();
      this.draft = {
        q: f.q ?? '',
        from: f.from ?? '',
        to: f.to ?? '',
        due_from: f.due_from ?? '',
        due_to: f.due_to ?? '',
        min_total: f.min_total === undefined ? '' : paiseToRupees(f.min_total),
        max_total: f.max_total === undefined ? '' : paiseToRupees(f.max_total),
      };
      if (f.due_from || f.due_to || f.min_total !== undefined || f.max_total !== undefined)
        this.more.set(true);
      void this.pager.reload();
    });
    effect(() => void this.loadCustomer(this.customer_id()));
  }

  private amount(raw: string | undefined): number | undefined {
    if (!raw || !/^\d+$/.test(raw)) return undefined;
    return Number(raw);
  }

  private async loadCustomer(id: string | undefined): Promise<void> {
    if (!id) {
      this.customer.set(null);
      return;
    }
    if (this.customer()?.id === id) return;
    try {
      this.customer.set(
        await call(
          this.session.api.GET('/v1/customers/{customer_id}', {
            params: { path: { customer_id: id } },
          }),
        ),
      );
    } catch {
      this.customer.set(null);
    }
  }

  search(): void {
    this.notice.set(null);
    const d = this.draft;
    const min = d.min_total.trim() ? rupeesToPaise(d.min_total) : undefined;
    const max = d.max_total.trim() ? rupeesToPaise(d.max_total) : undefined;
    if (min === null || max === null) {
      this.notice.set('Amounts are in rupees, such as 1500 or 1,500.50.');
      return;
    }
    this.filter({
      q: d.q.trim() || null,
      from: d.from || null,
      to: d.to || null,
      due_from: d.due_from || null,
      due_to: d.due_to || null,
      min_total: min === undefined ? null : String(min),
      max_total: max === undefined ? null : String(max),
    });
  }

  filter(change: Record<string, string | null>): void {
    void this.router.navigate([], { queryParams: change, queryParamsHandling: 'merge' });
  }

  clear(): void {
    this.more.set(false);
    void this.router.navigate([]);
  }

  /**
   * The invoice report as CSV with the list's filters, every page of it
   * (up to 1000 rows a page; the next cursor comes in `Hisaab-Next-Cursor`),
   * through the signed-in client: a plain link would carry no token.
   */
  async exportCsv(): Promise<void> {
    this.exporting.set(true);
    this.notice.set(null);
    try {
      const parts: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 100; page++) {
        const { data, error, response } = await this.session.api.GET('/v1/reports/invoices', {
          params: { query: { ...this.filters(), format: 'csv', limit: 1000, cursor } },
          parseAs: 'text',
        });
        if (!response.ok || error || data === undefined) throw new Error(`HTTP ${response.status}`);
        const text = data as unknown as string;
        parts.push(
          page === 0
            ? text.replace(/\n?$/, '\n')
            : text.slice(text.indexOf('\n') + 1).replace(/\n?$/, '\n'),
        );
        cursor = response.headers.get('Hisaab-Next-Cursor') ?? undefined;
        if (!cursor) break;
      }
      saveFile(new Blob(parts, { type: 'text/csv;charset=utf-8' }), `invoices-${todayIn()}.csv`);
    } catch (e) {
      this.notice.set(`The export failed: ${describe(e)}`);
    } finally {
      this.exporting.set(false);
    }
  }
}
