import { FormGroup } from '@angular/forms';
import type { components } from '../../api/schema';
import { ApiProblem, formMessage } from '../../core/problem';

/** What the billing screens use of the API. */
export type Invoice = components['schemas']['Invoice'];
export type InvoiceDetail = components['schemas']['InvoiceDetail'];
export type InvoiceSummary = components['schemas']['InvoiceSummary'];
export type InvoiceStatus = components['schemas']['InvoiceStatus'];
export type LineInput = components['schemas']['LineInput'];
export type Customer = components['schemas']['Customer'];
export type Product = components['schemas']['Product'];
export type PaymentMethod = components['schemas']['PaymentMethod'];

/** Every invoice status, in the order people think of them. */
export const STATUSES: InvoiceStatus[] = [
  'draft',
  'unpaid',
  'partially_paid',
  'overdue',
  'paid',
  'disputed',
  'cancelled',
];

/** How a payment was made, for people. */
export const METHODS: { value: PaymentMethod; text: string }[] = [
  { value: 'cash', text: 'Cash' },
  { value: 'upi', text: 'UPI' },
  { value: 'bank_transfer', text: 'Bank transfer' },
  { value: 'cheque', text: 'Cheque' },
  { value: 'card', text: 'Card' },
  { value: 'other', text: 'Other' },
];

/** The usual GST rates, in basis points. */
export const GST_RATES = [0, 25, 300, 500, 1200, 1800, 2800, 4000];

/** A fresh key for `Idempotency-Key` (a random UUID). */
export function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Saves a Blob as a file the browser downloads. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * [`formMessage`] for forms with line controls: the API names line fields
 * `lines[2].quantity`, reactive forms `lines.2.quantity`.
 */
export function invoiceFormMessage(form: FormGroup, error: unknown): string {
  if (error instanceof ApiProblem && error.problem?.errors?.length) {
    const errors = error.problem.errors.map((e) => ({
      ...e,
      field: e.field.replace(/\[(\d+)\]/g, '.$1').replace(/\.discount_rate_bp$/, '.discount'),
    }));
    return formMessage(form, new ApiProblem(error.status, { ...error.problem, errors }));
  }
  return formMessage(form, error);
}

/** Today's date in India, `yyyy-mm-dd`. */
export function todayInIndia(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date());
}
