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
