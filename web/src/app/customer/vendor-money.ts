import { Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import type { components } from '../api/schema';
import { FORMAT_PIPES } from '../core/format.pipes';
import { Pager } from '../core/pager';
import { call, describe } from '../core/problem';
import { Session } from '../core/session';
import { PagedList } from '../shared/list-state';
import { openInNewTab } from './pdf';

type InvoiceSummary = components['schemas']['InvoiceSummary'];
type Payment = components['schemas']['Payment'];
type Method = components['schemas']['PaymentMethod'];

/** How a payment was made, for people. */
export const METHOD_TEXT: Record<Method, string> = {
  cash: 'Cash',
  upi: 'UPI',
  bank_transfer: 'Bank transfer',
  cheque: 'Cheque',
  card: 'Card',
  other: 'Other',
};

/** One of the caller's customer records at the business. */
export interface Account {
  customer_id: string;
  customer_name: string;
}

/**
 * A vendor's invoices to the customer (`GET /v1/vendors/{id}/invoices`)
 * with their PDFs, and the payments the vendor recorded from them
 * (`GET /v1/vendors/{id}/payments`), both paged.
 */
@Component({
  selector: 'app-vendor-money',
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatSelectModule, PagedList, ...FORMAT_PIPES],
  template: `
    @if (accounts().length > 1) {
      <mat-form-field appearance="outline" subscriptSizing="dynamic" class="account">
        <mat-label>Account</mat-label>
        <mat-select [ngModel]="customerId()" (ngModelChange)="chosen.set($event)">
          @for (a of accounts(); track a.customer_id) {
            <mat-option [value]="a.customer_id">{{ a.customer_name }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
    }
    <section aria-labelledby="invoices-title">
      <h2 id="invoices-title">Invoices</h2>
      <app-paged-list [pager]="invoices" emptyText="No invoices yet: {{ vendorName() }} bills you when it closes a month.">
        <table class="plain money" aria-label="Invoices">
          <thead>
            <tr>
              <th scope="col">Invoice</th>
              <th scope="col">Date</th>
              <th scope="col">Due</th>
              <th scope="col" class="num">Total</th>
              <th scope="col" class="num">Left to pay</th>
              <th scope="col">Status</th>
              <th scope="col"><span class="sr-only">PDF</span></th>
            </tr>
          </thead>
          <tbody>
            @for (i of invoices.items(); track i.id) {
              <tr>
                <td class="lead">
                  <a [routerLink]="['/customer/vendors', businessId(), 'invoices', i.id]">{{ i.number ?? 'Invoice' }}</a>
                </td>
                <td class="date">{{ i.invoice_date | indianDate }}</td>
                <td class="due">{{ i.due_date | indianDate }}</td>
                <td class="num total">{{ i.total | rupees }}</td>
                <td class="num left" [class.due-amount]="i.balance_due > 0">{{ i.balance_due | rupees }}</td>
                <td class="status"><span class="chip {{ i.status }}">{{ i.status | label }}</span></td>
                <td class="pdf">
                  <button mat-button type="button" (click)="pdf(i)" [attr.aria-label]="'PDF of invoice ' + (i.number ?? '')">PDF</button>
                </td>
              </tr>
            }
          </tbody>
        </table>
        @if (pdfError(); as m) {
          <p class="error-text" role="alert">{{ m }}</p>
        }
      </app-paged-list>
    </section>

    <section aria-labelledby="payments-title">
      <h2 id="payments-title">Payments</h2>
      <app-paged-list [pager]="payments" emptyText="No payments recorded by {{ vendorName() }} yet.">
        <table class="plain money" aria-label="Payments">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">How</th>
              <th scope="col">For</th>
              <th scope="col" class="num">Amount</th>
            </tr>
          </thead>
          <tbody>
            @for (p of payments.items(); track p.id) {
              <tr [class.voided]="voided(p)">
                <td class="lead">{{ p.date | indianDate }}</td>
                <td>{{ methodText[p.method] }}{{ p.reference ? ' · ' + p.reference : '' }}</td>
                <td class="for">
                  @for (a of p.allocations; track a.invoice_id) {
                    <span>{{ a.invoice_number ?? 'Invoice' }}: {{ a.amount | rupees }}</span>
                  }
                  @if (p.advance > 0) {
                    <span>Advance: {{ p.advance | rupees }}</span>
                  }
                  @if (voided(p)) {
                    <span class="chip rejected">Voided{{ p.void_reason ? ': ' + p.void_reason : '' }}</span>
                  }
                </td>
                <td class="num total">{{ p.amount | rupees }}</td>
              </tr>
            }
          </tbody>
        </table>
      </app-paged-list>
    </section>
  `,
  styles: `
    :host { display: block; margin-top: 8px; }
    .account { width: 260px; max-width: 100%; margin-top: 16px; }
    h2 { font-size: 1.2rem; font-weight: 500; margin: 24px 0 8px; }
    table.plain { border-collapse: collapse; width: 100%; }
    table.plain th, table.plain td { padding: 8px 10px; border-bottom: 1px solid var(--mat-sys-outline-variant, #c4c6d0); text-align: left; vertical-align: top; }
    table.plain th { font-weight: 500; color: var(--mat-sys-on-surface-variant, #555); font-size: 0.9rem; }
    table.plain .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
    .due-amount { color: #8c1d18; font-weight: 500; }
    .pdf { padding: 0 !important; vertical-align: middle !important; text-align: right !important; }
    .for span { display: block; }
    tr.voided td { color: var(--mat-sys-on-surface-variant, #555); }
    tr.voided .total { text-decoration: line-through; }
    .chip.unpaid, .chip.overdue { background: #fde2e1; color: #8c1d18; }
    .chip.partially_paid { background: #fff1c7; color: #6b4e00; }
    .chip.cancelled { background: #eceff1; color: #37474f; }
    .date, .due { white-space: nowrap; }
    @media (max-width: 600px) {
      table.money thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0, 0, 0, 0); }
      table.money, table.money tbody { display: block; }
      table.money tr {
        display: grid; grid-template-columns: 1fr auto; gap: 2px 8px; padding: 10px 4px;
        border-bottom: 1px solid var(--mat-sys-outline-variant, #c4c6d0);
      }
      table.money td { display: block; border: none; padding: 0; text-align: left; }
      table.money .lead { font-weight: 500; }
      table.money .due { color: var(--mat-sys-on-surface-variant, #555); }
      table.money .due::before { content: 'Due '; }
      table.money .total { grid-column: 2; grid-row: 1; }
      table.money .left { grid-column: 2; }
      table.money .left::before { content: 'Left '; color: var(--mat-sys-on-surface-variant, #555); font-weight: 400; }
      table.money .pdf { grid-column: 2; text-align: right; }
    }
  `,
})
export class VendorMoney {
  private readonly session = inject(Session);
  readonly businessId = input.required<string>();
  readonly vendorName = input('the vendor');
  /** The caller's customer records at the business (from `GET /v1/vendors`). */
  readonly accounts = input<Account[]>([]);
  readonly chosen = signal<string | null>(null);
  /** Which account's invoices and payments are shown (needed only with more than one). */
  readonly customerId = computed(() => this.chosen() ?? this.accounts()[0]?.customer_id ?? null);
  readonly methodText = METHOD_TEXT;
  readonly pdfError = signal<string | null>(null);

  readonly invoices = new Pager<InvoiceSummary>((cursor) =>
    call(
      this.session.api.GET('/v1/vendors/{business_id}/invoices', {
        params: { path: { business_id: this.businessId() }, query: { cursor, limit: 12, customer_id: this.accountQuery() } },
      }),
    ),
  );
  readonly payments = new Pager<Payment>((cursor) =>
    call(
      this.session.api.GET('/v1/vendors/{business_id}/payments', {
        params: { path: { business_id: this.businessId() }, query: { cursor, limit: 12, customer_id: this.accountQuery() } },
      }),
    ),
  );

  constructor() {
    effect(() => {
      this.businessId();
      this.customerId();
      untracked(() => void this.reload());
    });
  }

  /** Loads both lists again (after the month's records changed, say). */
  reload(): Promise<unknown> {
    return Promise.all([this.invoices.reload(), this.payments.reload()]);
  }

  /** `status` is `recorded` or `voided` (the API document names the registry's enum here by mistake). */
  voided(p: Payment): boolean {
    return (p.status as string) === 'voided';
  }

  async pdf(i: InvoiceSummary): Promise<void> {
    this.pdfError.set(null);
    await openInNewTab(async () => {
      try {
        const link = await call(
          this.session.api.GET('/v1/vendors/{business_id}/invoices/{invoice_id}/pdf', {
            params: { path: { business_id: this.businessId(), invoice_id: i.id } },
          }),
        );
        return link.url;
      } catch (e) {
        this.pdfError.set(`The PDF of ${i.number ?? 'the invoice'} could not be opened: ${describe(e)}`);
        return null;
      }
    });
  }

  private accountQuery(): string | undefined {
    return this.accounts().length > 1 ? (this.customerId() ?? undefined) : undefined;
  }
}
