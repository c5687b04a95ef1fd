import type { components } from '../api/schema';
import { indianDate, rupees } from '../core/format';

type Day = components['schemas']['DayOfWeek'];
type Order = components['schemas']['Order'];
type OrderChange = components['schemas']['OrderChange'];

const WEEK: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DAY_NAMES: Record<Day, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** The days of the week an order is delivered on, for people: `Every day`, `Mon–Sat`, `Mon, Wed, Fri`. */
export function daysLabel(days: readonly Day[] | null | undefined): string {
  if (!days?.length) return 'No days';
  const set = new Set(days);
  const sorted = WEEK.filter((d) => set.has(d));
  if (sorted.length === 7) return 'Every day';
  if (sorted.length === 6 && !set.has('sun')) return 'Mon–Sat';
  if (sorted.length === 5 && !set.has('sat') && !set.has('sun')) return 'Mon–Fri';
  return sorted.map((d) => DAY_NAMES[d]).join(', ');
}

/** A quantity (a decimal string from the API) with its unit: `1.5 litre`. */
export function qty(
  quantity: string | number | null | undefined,
  unit: string | null | undefined,
): string {
  if (quantity === null || quantity === undefined || quantity === '') return '—';
  return unit ? `${quantity} ${unit}` : `${quantity}`;
}

/** A rate in paise per unit: `₹60.00 per litre`. */
export function rateLabel(paise: number, unit: string): string {
  return `${rupees(paise)} per ${unit}`;
}

/** One line of what a pending change asks: what changes, from what, to what. */
export interface ChangeLine {
  what: string;
  from: string;
  to: string;
}

/**
 * What a pending change would change, line by line, against the order's
 * terms in force now. A `create` change has no lines: the whole order waits
 * for confirmation (see [`orderTerms`]).
 */
export function changeLines(order: Order, change: OrderChange): ChangeLine[] {
  const f = change.fields;
  const lines: ChangeLine[] = [];
  if (f.quantity !== null && f.quantity !== undefined) {
    lines.push({
      what: 'Quantity',
      from: qty(order.quantity, order.unit),
      to: qty(f.quantity, order.unit),
    });
  }
  if (f.rate !== null && f.rate !== undefined) {
    lines.push({
      what: 'Rate',
      from: rateLabel(order.rate, order.unit),
      to: rateLabel(f.rate, order.unit),
    });
  }
  if (f.days?.length) {
    lines.push({ what: 'Days', from: daysLabel(order.days), to: daysLabel(f.days) });
  }
  if (f.valid_from) {
    lines.push({
      what: 'Starts',
      from: indianDate(order.valid_from),
      to: indianDate(f.valid_from),
    });
  }
  if (f.valid_till) {
    lines.push({
      what: 'Ends',
      from: order.valid_till ? indianDate(order.valid_till) : 'No end date',
      to: indianDate(f.valid_till),
    });
  } else if (f.clear_valid_till) {
    lines.push({
      what: 'Ends',
      from: order.valid_till ? indianDate(order.valid_till) : 'No end date',
      to: 'No end date',
    });
  }
  if (f.status && f.status !== order.status) {
    lines.push({
      what: 'Status',
      from: statusText(order.status),
      to: f.status === 'inactive' ? 'Stopped' : statusText(f.status),
    });
  }
  return lines;
}

/** An order's terms in one line: `1.5 litre at ₹60.00 per litre, every day, from 1 Nov 2026`. */
export function orderTerms(order: Order): string {
  const parts = [`${qty(order.quantity, order.unit)}`];
  if (order.rate > 0) parts[0] += ` at ${rateLabel(order.rate, order.unit)}`;
  if (order.type === 'scheduled') {
    const days = daysLabel(order.days);
    parts.push(days === 'Every day' ? 'every day' : days);
  }
  if (order.type === 'on_demand' && (!order.valid_till || order.valid_till === order.valid_from)) {
    parts.push(`on ${indianDate(order.valid_from)}`);
  } else {
    parts.push(
      `from ${indianDate(order.valid_from)}${order.valid_till ? ` to ${indianDate(order.valid_till)}` : ''}`,
    );
  }
  return parts.join(', ');
}

/** An order's status for people. */
export function statusText(status: components['schemas']['OrderStatus']): string {
  switch (status) {
    case 'pending':
      return 'Waiting for you';
    case 'requested':
      return 'Requested';
    case 'active':
      return 'Active';
    case 'inactive':
      return 'Stopped';
    case 'declined':
      return 'Declined';
  }
}

/** A balance as the customer reads it: who owes whom. */
export function balanceText(balance: number): string {
  if (balance > 0) return `You owe ${rupees(balance)}`;
  if (balance < 0) return `Owed to you ${rupees(-balance)}`;
  return 'All settled';
}
