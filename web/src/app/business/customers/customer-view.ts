import { rupees } from '../../core/format';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A running balance for people: who owes whom, and how much. */
export function balanceText(paise: number): { amount: string; text: string } {
  if (paise > 0) return { amount: rupees(paise), text: 'owes you' };
  if (paise < 0) return { amount: rupees(-paise), text: 'paid in advance (you owe them)' };
  return { amount: rupees(0), text: 'nothing owed either way' };
}

/** This month in India, `yyyy-mm`. */
export function currentMonth(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Kolkata',
    year: 'numeric',
    month: '2-digit',
  })
    .format(now)
    .slice(0, 7);
}

/** Whether `value` is a month written `yyyy-mm`. */
export function isMonth(value: string | null | undefined): value is string {
  return !!value && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

/** `2026-11` → `November 2026`. */
export function monthTitle(month: string): string {
  if (!isMonth(month)) return month;
  return `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}
