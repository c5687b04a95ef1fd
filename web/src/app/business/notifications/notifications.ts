import { Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatTableModule } from '@angular/material/table';
import { FORMAT_PIPES } from '../../core/format.pipes';
import { Pager } from '../../core/pager';
import { call } from '../../core/problem';
import { Session } from '../../core/session';
import { PagedList } from '../../shared/list-state';
import { Notification, kindText, recipient, stageLabel } from './words';

/**
 * The notification log (`GET /v1/notifications`), newest first: payment
 * reminders, invoices sent and daily summaries, to whom, by which channel,
 * and whether they went. `?invoice_id=` or `?customer_id=` show one
 * invoice's or one customer's (the invoice and customer pages link here).
 */
@Component({
  selector: 'app-notifications',
  imports: [RouterLink, MatButtonModule, MatTableModule, PagedList, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <div class="page-head">
        <h1>Notifications</h1>
        @if (filtered()) {
          <a mat-button routerLink="/business/notifications">Show all messages</a>
        }
      </div>
      @if (filterText(); as f) {
        <p class="filter" role="status">{{ f }}</p>
      } @else {
        <p class="muted intro">
          Every message sent to your customers and to you: payment reminders, invoices sent and the
          daily summary.
        </p>
      }

      <app-paged-list [pager]="pager" [emptyText]="emptyText()">
        <div class="table-wrap">
          <table mat-table [dataSource]="pager.items()" aria-label="Messages sent">
            <ng-container matColumnDef="created_at">
              <th mat-header-cell *matHeaderCellDef>Time</th>
              <td mat-cell *matCellDef="let n" class="nowrap">
                {{ n.created_at | indianDateTime }}
              </td>
            </ng-container>
            <ng-container matColumnDef="kind">
              <th mat-header-cell *matHeaderCellDef>Kind</th>
              <td mat-cell *matCellDef="let n">
                {{ kind(n) }}
                @if (n.stage !== null && n.stage !== undefined) {
                  <span class="muted small">{{ stage(n.stage) }}</span>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="invoice">
              <th mat-header-cell *matHeaderCellDef>Invoice</th>
              <td mat-cell *matCellDef="let n" class="nowrap">
                @if (n.invoice_id) {
                  <a [routerLink]="['/business/invoices', n.invoice_id]">{{
                    n.invoice_number ?? 'Invoice'
                  }}</a>
                } @else {
                  —
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="to">
              <th mat-header-cell *matHeaderCellDef>To</th>
              <td mat-cell *matCellDef="let n" class="to">
                {{ to(n) }}
                <span class="muted small">{{ n.channel === 'sms' ? 'SMS' : 'Mail' }}</span>
              </td>
            </ng-container>
            <ng-container matColumnDef="status">
              <th mat-header-cell *matHeaderCellDef>Status</th>
              <td mat-cell *matCellDef="let n">
                <span class="chip {{ n.status }}">{{ n.status | label }}</span>
                @if (n.error) {
                  <span class="error-text small">{{ n.error }}</span>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="message">
              <th mat-header-cell *matHeaderCellDef>Message</th>
              <td mat-cell *matCellDef="let n" class="message">
                <details>
                  <summary>{{ n.subject ?? 'Show the text' }}</summary>
                  <div class="body">{{ n.body }}</div>
                </details>
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <tr mat-row *matRowDef="let n; columns: columns"></tr>
          </table>
        </div>
        <ul class="phone-list" aria-label="Messages sent">
          @for (n of pager.items(); track n.id) {
            <li class="card">
              <span class="what"
                >{{ kind(n) }}
                @if (n.invoice_id) {
                  ·
                  <a [routerLink]="['/business/invoices', n.invoice_id]">{{
                    n.invoice_number ?? 'Invoice'
                  }}</a>
                }
              </span>
              <span class="chip {{ n.status }}">{{ n.status | label }}</span>
              <span class="muted wide">
                {{ n.channel === 'sms' ? 'SMS' : 'Mail' }} to {{ to(n) }} ·
                {{ n.created_at | indianDateTime }}
              </span>
              @if (n.stage !== null && n.stage !== undefined) {
                <span class="muted wide">{{ stage(n.stage) }}</span>
              }
              @if (n.error) {
                <span class="error-text wide">{{ n.error }}</span>
              }
              <details class="wide">
                <summary>{{ n.subject ?? 'Show the text' }}</summary>
                <div class="body">{{ n.body }}</div>
              </details>
            </li>
          }
        </ul>
      </app-paged-list>
    </div>
  `,
  styles: `
    .intro {
      margin-top: 0;
    }
    .filter {
      margin-top: 0;
      font-weight: 500;
    }
    .nowrap {
      white-space: nowrap;
    }
    .small {
      display: block;
      font-size: 0.8rem;
    }
    .to {
      overflow-wrap: anywhere;
    }
    table.mat-mdc-table {
      width: 100%;
      min-width: 860px;
    }
    td.message {
      max-width: 320px;
    }
    summary {
      cursor: pointer;
      color: var(--mat-sys-primary);
    }
    .body {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      font-size: 0.85rem;
      margin-top: 6px;
      padding: 8px;
      border-radius: 6px;
      background: var(--mat-sys-surface-container);
    }
    .chip.sent {
      background: #d7f5dd;
      color: #0b5a1f;
    }
    .chip.failed {
      background: #fde2e1;
      color: #8c1d18;
    }
    .chip.sending {
      background: #fff1c7;
      color: #6b4e00;
    }
    .phone-list {
      display: none;
      list-style: none;
      padding: 0;
      margin: 0;
    }
    .card {
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto;
      gap: 2px 8px;
      padding: 10px 4px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .card .wide {
      grid-column: 1 / -1;
      overflow-wrap: anywhere;
    }
    .card .chip {
      align-self: start;
    }
    .what {
      font-weight: 500;
    }
    @media (max-width: 700px) {
      .table-wrap {
        display: none;
      }
      .phone-list {
        display: block;
      }
    }
  `,
})
export class Notifications {
  private readonly session = inject(Session);
  /** Query parameters. */
  readonly invoice_id = input<string>();
  readonly customer_id = input<string>();

  readonly columns = ['created_at', 'kind', 'invoice', 'to', 'status', 'message'];
  readonly customerName = signal<string | null>(null);
  readonly invoiceNumber = signal<string | null>(null);
  readonly filtered = computed(() => !!(this.invoice_id() || this.customer_id()));
  readonly filterText = computed(() => {
    if (this.invoice_id()) return `Messages about invoice ${this.invoiceNumber() ?? '…'}`;
    if (this.customer_id()) return `Messages to ${this.customerName() ?? '…'}`;
    return null;
  });
  readonly emptyText = computed(() =>
    this.filtered()
      ? 'No messages were sent for this yet.'
      : 'No messages yet. Turn on payment reminders in Settings, or send an invoice from its page.',
  );

  readonly pager = new Pager<Notification>((cursor) =>
    call(
      this.session.api.GET('/v1/notifications', {
        params: {
          query: {
            invoice_id: this.invoice_id() || undefined,
            customer_id: this.customer_id() || undefined,
            cursor,
            limit: 25,
          },
        },
      }),
    ),
  );

  constructor() {
    effect(() => {
      const invoice = this.invoice_id();
      const customer = this.customer_id();
      untracked(() => {
        void this.pager.reload();
        void this.loadNames(invoice, customer);
      });
    });
  }

  kind(n: Notification): string {
    return kindText(n.kind);
  }

  stage(offset: number): string {
    return stageLabel(offset);
  }

  to(n: Notification): string {
    return recipient(n);
  }

  /** The filter's invoice number or customer name, for the heading. */
  private async loadNames(
    invoice: string | undefined,
    customer: string | undefined,
  ): Promise<void> {
    this.invoiceNumber.set(null);
    this.customerName.set(null);
    try {
      if (invoice) {
        const i = await call(
          this.session.api.GET('/v1/invoices/{invoice_id}', {
            params: { path: { invoice_id: invoice } },
          }),
        );
        this.invoiceNumber.set(i.number ?? 'draft');
      } else if (customer) {
        const c = await call(
          this.session.api.GET('/v1/customers/{customer_id}', {
            params: { path: { customer_id: customer } },
          }),
        );
        this.customerName.set(c.name);
      }
    } catch {
      // The list shows the error, if any; the heading stays general.
    }
  }
}
