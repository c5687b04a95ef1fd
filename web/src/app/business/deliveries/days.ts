import { Injectable, inject } from '@angular/core';
import type { components } from '../../api/schema';
import { call } from '../../core/problem';
import { todayIn } from '../../core/dates';
import { Session } from '../../core/session';

/**
 * Orders on calendar days for the deliveries screens: which orders are
 * due on a day, with which terms. The civil-date helpers come from
 * `core/dates.ts` and are re-exported for these screens.
 */

export {
  addDays,
  addMonths,
  daysOfMonth,
  isDate,
  isMonth,
  monthName,
  monthOf,
  todayIn,
  weekdayShort,
} from '../../core/dates';

export type Order = components['schemas']['Order'];
export type Delivery = components['schemas']['Delivery'];
export type DayOfWeek = components['schemas']['DayOfWeek'];
export type Terms = components['schemas']['Terms'];

/** The days of the week, Monday first, with their short names. */
export const WEEK: readonly { day: DayOfWeek; short: string; name: string }[] = [
  { day: 'mon', short: 'Mon', name: 'Monday' },
  { day: 'tue', short: 'Tue', name: 'Tuesday' },
  { day: 'wed', short: 'Wed', name: 'Wednesday' },
  { day: 'thu', short: 'Thu', name: 'Thursday' },
  { day: 'fri', short: 'Fri', name: 'Friday' },
  { day: 'sat', short: 'Sat', name: 'Saturday' },
  { day: 'sun', short: 'Sun', name: 'Sunday' },
];

const BY_UTC_DAY: DayOfWeek[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The day of the week of a date. */
export function dayOfWeek(date: string): DayOfWeek {
  return BY_UTC_DAY[new Date(`${date}T00:00:00Z`).getUTCDay()];
}

/** The terms of an order in force on `date` (the last starting on or before it). */
export function termsOn(order: Order, date: string): Terms {
  let found = order.terms[0];
  for (const t of order.terms) if (t.from <= date) found = t;
  return (
    found ?? {
      from: order.valid_from,
      quantity: order.quantity,
      rate: order.rate,
      days: order.days,
    }
  );
}

/** Whether the order is valid on `date`. */
export function validOn(order: Order, date: string): boolean {
  return order.valid_from <= date && (!order.valid_till || date <= order.valid_till);
}

/** Whether the order is delivered on `date` by its schedule. */
export function scheduledOn(order: Order, date: string): boolean {
  return validOn(order, date) && termsOn(order, date).days.includes(dayOfWeek(date));
}

/** The days of an order as people say them: `Every day`, `Mon–Sat`, `Mon, Wed, Fri`. */
export function daysText(days: readonly DayOfWeek[]): string {
  const set = new Set(days);
  if (set.size === 7) return 'Every day';
  if (set.size === 0) return 'No days';
  const idx = WEEK.map((w, i) => (set.has(w.day) ? i : -1)).filter((i) => i >= 0);
  const contiguous = idx.every((v, i) => i === 0 || v === idx[i - 1] + 1);
  if (contiguous && idx.length >= 3) return `${WEEK[idx[0]].short}–${WEEK[idx.at(-1)!].short}`;
  return idx.map((i) => WEEK[i].short).join(', ');
}

/** A quantity as the API writes it (`"1.500"`) for people: `1.5`. */
export function qty(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const text = String(value);
  if (!text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}

/** Whether two quantities are the same number (`"2"` and `"2.000"`). */
export function sameQty(a: string | null | undefined, b: string | null | undefined): boolean {
  return qty(a) === qty(b);
}

/**
 * Rupees typed by a person (`60`, `60.5`, `1,250.00`) → paise; null when
 * it is not an amount in rupees and paise.
 */
export function rupeesToPaise(text: string | null | undefined): number | null {
  const clean = (text ?? '').replace(/[,₹\s]/g, '');
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(clean);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Paise → rupees for a form field: `6050` → `60.50`. */
export function paiseToRupeesText(paise: number | null | undefined): string {
  if (paise === null || paise === undefined) return '';
  const sign = paise < 0 ? '-' : '';
  const abs = Math.abs(paise);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Loads every page of a cursor-paged list (at most `max` items). */
export async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; next_cursor?: string | null }>,
  max = 5000,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor && items.length < max);
  return items;
}

/**
 * The business's calendar: its time zone (from its settings, which owner
 * and staff read; Asia/Kolkata, the default, when they cannot be read)
 * and today.
 */
@Injectable({ providedIn: 'root' })
export class BusinessCalendar {
  private readonly session = inject(Session);
  private zone: { business: string; value: Promise<string> } | null = null;

  /** The business's IANA time zone. */
  timeZone(): Promise<string> {
    const user = this.session.user();
    const business = user?.business_id ?? '';
    if (this.zone?.business !== business) {
      const value = call(this.session.api.GET('/v1/business/settings'))
        .then((s) => s.time_zone || 'Asia/Kolkata')
        .catch(() => 'Asia/Kolkata');
      this.zone = { business, value };
    }
    return this.zone.value;
  }

  /** Today in the business's time zone, `yyyy-mm-dd`. */
  async today(): Promise<string> {
    return todayIn(await this.timeZone());
  }
}
