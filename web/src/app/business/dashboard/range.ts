import { addDays, isDate, todayIn } from '../../core/dates';

export { addDays, isDate, todayIn };

/**
 * The dashboard's periods: named presets ("this month", "this financial
 * year", …) turned into the `from` / `to` dates of `GET /v1/reports/dashboard`,
 * and the invoice-list links behind each figure (query parameters named as
 * `GET /v1/invoices` names its filters).
 */

/** A named period, or `custom` with its own dates. */
export type Preset =
  | 'this_month'
  | 'last_month'
  | 'last_30_days'
  | 'last_3_months'
  | 'this_fy'
  | 'last_fy'
  | 'last_12_months'
  | 'custom';

export const PRESETS: { value: Preset; text: string }[] = [
  { value: 'this_month', text: 'This month' },
  { value: 'last_month', text: 'Last month' },
  { value: 'last_30_days', text: 'Last 30 days' },
  { value: 'last_3_months', text: 'Last 3 months' },
  { value: 'this_fy', text: 'This financial year' },
  { value: 'last_fy', text: 'Last financial year' },
  { value: 'last_12_months', text: 'Last 12 months' },
  { value: 'custom', text: 'Custom dates' },
];

/** A range of calendar days, both ends included, as `yyyy-mm-dd`. */
export interface DateRange {
  from: string;
  to: string;
}

function parts(day: string): [number, number, number] {
  const [y, m, d] = day.split('-').map(Number);
  return [y, m, d];
}

function iso(y: number, m: number, d: number): string {
  // Date.UTC normalises month and day overflow (month 0 → December of the year before).
  return new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
}

/** The first day of the month `n` months from `day`'s month. */
export function monthStart(day: string, n = 0): string {
  const [y, m] = parts(day);
  return iso(y, m + n, 1);
}

/** The last day of `day`'s month. */
export function monthEnd(day: string): string {
  const [y, m] = parts(day);
  return iso(y, m + 1, 0);
}

/** April 1 that starts the Indian financial year `day` is in. */
export function fyStart(day: string): string {
  const [y, m] = parts(day);
  return iso(m >= 4 ? y : y - 1, 4, 1);
}

/** The dates of a preset as of `today` (custom: null, the user gives them). */
export function presetRange(preset: Preset, today: string): DateRange | null {
  switch (preset) {
    case 'this_month':
      return { from: monthStart(today), to: today };
    case 'last_month': {
      const from = monthStart(today, -1);
      return { from, to: monthEnd(from) };
    }
    case 'last_30_days':
      return { from: addDays(today, -29), to: today };
    case 'last_3_months':
      return { from: monthStart(today, -2), to: today };
    case 'this_fy':
      return { from: fyStart(today), to: today };
    case 'last_fy': {
      const start = fyStart(today);
      return { from: fyStart(addDays(start, -1)), to: addDays(start, -1) };
    }
    case 'last_12_months':
      return { from: monthStart(today, -11), to: today };
    case 'custom':
      return null;
  }
}

/** Days from `from` to `to`, both included. */
export function dayCount(range: DateRange): number {
  const ms = Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`);
  return Math.round(ms / 86_400_000) + 1;
}

/** The API refuses ranges longer than this (`to` at most 1096 days after `from`). */
export const MAX_RANGE_DAYS = 1097;

/**
 * What the page's query parameters (`range`, `from`, `to`) ask for: a
 * preset's dates, or custom dates when both are valid and in order; the
 * API's default (this month) otherwise. `problem` says what was wrong
 * with custom dates.
 */
export function resolveRange(
  query: { range?: string | null; from?: string | null; to?: string | null },
  today: string,
): { preset: Preset; range: DateRange; problem: string | null } {
  const preset = PRESETS.some((p) => p.value === query.range) ? (query.range as Preset) : null;
  if (preset && preset !== 'custom')
    return { preset, range: presetRange(preset, today)!, problem: null };
  if (query.from || query.to || preset === 'custom') {
    const from = query.from ?? '';
    const to = query.to ?? '';
    let problem: string | null = null;
    if (!isDate(from) || !isDate(to)) problem = 'Choose both a first and a last day.';
    else if (from > to) problem = 'The first day is after the last day.';
    else if (dayCount({ from, to }) > MAX_RANGE_DAYS) problem = 'Choose at most three years.';
    if (!problem) return { preset: 'custom', range: { from, to }, problem: null };
    return { preset: 'custom', range: presetRange('this_month', today)!, problem };
  }
  return { preset: 'this_month', range: presetRange('this_month', today)!, problem: null };
}

/** Query parameters of the invoice list (`/business/invoices`), named as `GET /v1/invoices` names them. */
export interface InvoiceQuery {
  status?: string;
  customer_id?: string;
  from?: string;
  to?: string;
  due_from?: string;
  due_to?: string;
}

/** The invoices dated in the range, optionally of one status. */
export function invoicesOf(range: DateRange, status?: string): InvoiceQuery {
  return status ? { status, from: range.from, to: range.to } : { from: range.from, to: range.to };
}

/**
 * The overdue invoices of one aging bucket (`1-30`, `31-60`, `61-90`,
 * `90+` days past due) as of `asOf`: by due date. `current` (not yet due)
 * has no single status to filter by, so it gets no link (null).
 */
export function agingInvoices(bucket: string, asOf: string): InvoiceQuery | null {
  const m = /^(\d+)-(\d+)$/.exec(bucket);
  if (m)
    return {
      status: 'overdue',
      due_from: addDays(asOf, -Number(m[2])),
      due_to: addDays(asOf, -Number(m[1])),
    };
  const over = /^(\d+)\+$/.exec(bucket);
  if (over) return { status: 'overdue', due_to: addDays(asOf, -(Number(over[1]) + 1)) };
  return null;
}

/** A range for people: `1 Apr 2026 – 30 Nov 2026`, or one day alone. */
export function rangeText(range: DateRange, format: (day: string) => string): string {
  return range.from === range.to
    ? format(range.from)
    : `${format(range.from)} – ${format(range.to)}`;
}
