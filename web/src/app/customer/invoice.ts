import { Component, effect, inject, input, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import type { components } from '../api/schema';
import { FORMAT_PIPES } from '../core/format.pipes';
import { call, describe } from '../core/problem';
import { Session } from '../core/session';
import { ListState } from '../shared/list-state';
import { openInNewTab } from './pdf';
import { METHOD_TEXT } from './vendor-money';

type Detail = components['schemas']['InvoiceDetail'];

/**
 * `/customer/vendors/:businessId/invoices/:invoiceId`: one invoice a
 * vendor billed to the customer (`GET /v1/vendors/{id}/invoices/{id}`),
 * with its lines, GST, payments and the PDF (with a UPI QR code to pay).
 */
@Component({
  selector: 'app-customer-invoice',
  imports: [RouterLink, MatButtonModule, ListState, ...FORMAT_PIPES],
  template: `
    <div class="page">
      <p class="back"><a [routerLink]="['/customer/vendors', businessId()]">‹ {{ vendorName() }}</a></p>
      <app-list-state [loading]="loading()" [error]="error()" (retry)="load()">
        @if (invoice(); as i) {
          <div class="page-head">
            <h1>Invoice {{ i.number ?? '' }}</h1>
            <span class="chip {{ i.status }}">{{ i.status | label }}</span>
            <button mat-flat-button type="button" (click)="pdf()">Open PDF</button>
          </div>
          @if (pdfError(); as m) {
            <p class="error-text" role="alert">{{ m }}</p>
          }
          <dl class="facts">
            <dt>From</dt>
            <dd>{{ vendorName() }}</dd>
            <dt>To</dt>
            <dd>{{ i.customer_name }}{{ i.customer_gstin ? ' · GSTIN ' + i.customer_gstin : '' }}</dd>
            <dt>Date</dt>
            <dd>{{ i.invoice_date | indianDate }}</dd>
            <dt>Due</dt>
            <dd>{{ i.due_date | indianDate }}</dd>
          </dl>
          <div class="cards figures">
            <div class="figure"><span class="what">Total</span><span class="value">{{ i.total | rupees }}</span></div>
            <div class="figure"><span class="what">Paid</span><span class="value">{{ i.amount_paid | rupees }}</span></div>
            <div class="figure due"><span class="what">Left to pay</span><span class="value" data-testid="invoice-balance-due">{{ i.balance_due | rupees }}</span></div>
          </div>
          @if (i.balance_due > 0) {
            <p class="muted small">The PDF has a UPI QR code for what is left to pay.</p>
          }
          @if (i.cancelled_at) {
            <p class="notice" role="status">Cancelled {{ i.cancelled_at | indianDate }}{{ i.cancel_reason ? ': ' + i.cancel_reason : '' }}</p>
          }

          <h2>Lines</h2>
          <div>
            <table class="plain lines" aria-label="Invoice lines">
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col" class="num">Quantity</th>
                  <th scope="col" class="num">Rate</th>
                  <th scope="col" class="num">Taxable</th>
                  <th scope="col" class="num">GST</th>
                  <th scope="col" class="num">Total</th>
                </tr>
              </thead>
              <tbody>
                @for (l of i.lines; track $index) {
                  <tr>
                    <td class="desc">{{ l.description }}@if (l.hsn_sac) {<div class="muted small">HSN/SAC {{ l.hsn_sac }}</div>}</td>
                    <td class="num qty">{{ l.quantity }} {{ l.unit }}</td>
                    <td class="num rate"><span class="times">× </span>{{ l.unit_price | rupees }}</td>
                    <td class="num taxable">{{ l.taxable | rupees }}@if (l.discount) {<div class="muted small">after {{ l.discount | rupees }} off</div>}</td>
                    <td class="num tax">{{ l.tax | rupees }}<div class="muted small">GST {{ l.tax_rate_bp / 100 }}%</div></td>
                    <td class="num line-total">{{ l.total | rupees }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
          <dl class="sums">
            <dt>Taxable value</dt>
            <dd>{{ i.taxable_total | rupees }}</dd>
            @if (i.supply === 'inter_state') {
              <dt>IGST</dt>
              <dd>{{ i.igst_total | rupees }}</dd>
            } @else {
              <dt>CGST</dt>
              <dd>{{ i.cgst_total | rupees }}</dd>
              <dt>SGST</dt>
              <dd>{{ i.sgst_total | rupees }}</dd>
            }
            <dt class="strong">Total</dt>
            <dd class="strong">{{ i.total | rupees }}</dd>
            @if (i.previous_balance) {
              <dt>Balance before this invoice</dt>
              <dd>{{ i.previous_balance | rupees }}</dd>
            }
          </dl>
          @if (i.notes) {
            <p class="muted">{{ i.notes }}</p>
          }

          <h2>Payments</h2>
          @if (i.payments.length === 0) {
            <p class="muted">No payment recorded against this invoice yet.</p>
          } @else {
            <ul class="payments">
              @for (p of i.payments; track p.payment_id) {
                <li [class.voided]="voided(p.status)">
                  {{ p.date | indianDate }} · {{ methodText[p.method] }}{{ p.reference ? ' · ' + p.reference : '' }} ·
                  <strong>{{ p.amount | rupees }}</strong>
                  @if (voided(p.status)) {
                    <span class="chip rejected">Voided</span>
                  }
                </li>
              }
            </ul>
          }

          <h2>History</h2>
          <ol class="history">
            @for (h of events(i); track h.id) {
              <li><span class="muted">{{ h.at | indianDateTime }}</span> · {{ h.detail }}</li>
            }
          </ol>
        }
      </app-list-state>
    </div>
  `,
  styles: `
    .back { margin: 0 0 8px; }
    h2 { font-size: 1.15rem; font-weight: 500; margin: 20px 0 8px; }
    .facts, .sums { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0 16px; }
    dt { color: var(--mat-sys-on-surface-variant, #555); }
    dd { margin: 0; }
    .sums { max-width: 360px; margin-left: auto; }
    .sums dd { text-align: right; font-variant-numeric: tabular-nums; }
    .sums .strong { font-weight: 600; color: inherit; }
    .figures { grid-template-columns: repeat(auto-fill, minmax(100px, 1fr)); max-width: 560px; }
    .figure { display: flex; flex-direction: column; padding: 10px 14px; border-radius: 12px; background: var(--mat-sys-surface-container, #f0f0f5); }
    .figure .value { font-size: 1.35rem; font-weight: 500; font-variant-numeric: tabular-nums; }
    .figure.due .value { color: #8c1d18; }
    .what { color: var(--mat-sys-on-surface-variant, #555); font-size: 0.85rem; }
    .small { font-size: 0.85rem; }
    table.plain { border-collapse: collapse; width: 100%; }
    .times { display: none; }
    table.plain th, table.plain td { padding: 8px 10px; border-bottom: 1px solid var(--mat-sys-outline-variant, #c4c6d0); text-align: left; vertical-align: top; }
    table.plain th { font-weight: 500; color: var(--mat-sys-on-surface-variant, #555); font-size: 0.9rem; }
    table.plain .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
    .chip.unpaid, .chip.overdue { background: #fde2e1; color: #8c1d18; }
    .chip.partially_paid { background: #fff1c7; color: #6b4e00; }
    .payments, .history { padding-left: 20px; }
    .payments li, .history li { margin-bottom: 4px; }
    @media (max-width: 600px) {
      .figure .value { font-size: 1.1rem; }
      .figure { padding: 8px 10px; }
      .sums { max-width: none; }
      table.lines thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0, 0, 0, 0); }
      table.lines, table.lines tbody { display: block; }
      table.lines tr {
        display: grid; grid-template-columns: auto auto 1fr; gap: 2px 6px; padding: 8px 0;
        border-bottom: 1px solid var(--mat-sys-outline-variant, #c4c6d0);
      }
      table.lines td { display: block; border: none; padding: 0; text-align: left; }
      table.lines .desc { grid-column: 1 / 3; }
      table.lines .line-total { grid-column: 3; grid-row: 1; text-align: right; font-weight: 500; }
      table.lines td.qty { grid-column: 1; text-align: left; }
      table.lines td.rate { grid-column: 2; text-align: left; }
      table.lines .times { display: inline; }
      table.lines .taxable { display: none; }
      table.lines .tax { grid-column: 3; grid-row: 2; text-align: right; }
      table.lines .tax div { display: inline; margin-left: 4px; }
    }
    .payments li.voided { text-decoration: line-through; color: var(--mat-sys-on-surface-variant, #555); }
  `,
})
export class InvoicePage {
  private readonly session = inject(Session);
  readonly businessId = input.required<string>();
  readonly invoiceId = input.required<string>();
  readonly invoice = signal<Detail | null>(null);
  readonly vendorName = signal('Vendor');
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly pdfError = signal<string | null>(null);
  readonly methodText = METHOD_TEXT;

  constructor() {
    effect(() => {
      this.businessId();
      this.invoiceId();
      untracked(() => void this.load());
    });
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    const business_id = this.businessId();
    try {
      const [invoice, vendors] = await Promise.all([
        call(this.session.api.GET('/v1/vendors/{business_id}/invoices/{invoice_id}', { params: { path: { business_id, invoice_id: this.invoiceId() } } })),
        call(this.session.api.GET('/v1/vendors')).catch(() => null),
      ]);
      this.invoice.set(invoice);
      this.vendorName.set(vendors?.items.find((v) => v.business_id === business_id)?.business_name ?? 'Vendor');
    } catch (e) {
      this.error.set(describe(e));
    } finally {
      this.loading.set(false);
    }
  }

  /** The invoice's history without payments (listed above, with their amounts). */
  events(i: Detail): Detail['history'] {
    return i.history.filter((h) => !h.action.startsWith('payment_'));
  }

  /** `recorded` or `voided` (the API document names the registry's enum here by mistake). */
  voided(status: string): boolean {
    return status === 'voided';
  }

  async pdf(): Promise<void> {
    this.pdfError.set(null);
    await openInNewTab(async () => {
      try {
        const link = await call(
          this.session.api.GET('/v1/vendors/{business_id}/invoices/{invoice_id}/pdf', {
            params: { path: { business_id: this.businessId(), invoice_id: this.invoiceId() } },
          }),
        );
        return link.url;
      } catch (e) {
        this.pdfError.set(`The PDF could not be opened: ${describe(e)}`);
        return null;
      }
    });
  }
}
