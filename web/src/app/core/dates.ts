/**
 * Civil dates: `yyyy-mm-dd` days and `yyyy-mm` months as the API writes
 * them, computed without the browser's own time zone (a day is a calendar
 * day, not an instant). "Today" is taken in a business's time zone, India
 * Standard Time unless told otherwise.
 */

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
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function utc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

/** Today in `timeZone` (an IANA name; Asia/Kolkata when unknown) as `yyyy-mm-dd`. */
export function todayIn(timeZone = 'Asia/Kolkata', now = new Date()): string {
  // en-CA writes dates as yyyy-mm-dd.
  const format = (zone: string) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
  try {
    return format(timeZone);
  } catch {
    return format('Asia/Kolkata');
  }
}

/** This month in `timeZone` (Asia/Kolkata unless told) as `yyyy-mm`. */
export function currentMonth(timeZone = 'Asia/Kolkata', now = new Date()): string {
  return monthOf(todayIn(timeZone, now));
}

/** `date` moved by `n` days. */
export function addDays(date: string, n: number): string {
  const d = utc(date);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** `2026-11-30` → `Mon`. */
export function weekdayShort(date: string): string {
  return WEEKDAYS[utc(date).getUTCDay()];
}

/** The month `yyyy-mm` of a date. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** `month` moved by `n` months: `addMonths('2026-01', -1)` is `2025-12`. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** Every day of a month, first to last. */
export function daysOfMonth(month: string): string[] {
  const days: string[] = [];
  for (let d = `${month}-01`; monthOf(d) === month; d = addDays(d, 1)) days.push(d);
  return days;
}

/** `2026-11` → `November 2026` (anything else as it is, or `—`). */
export function monthName(month: string | null | undefined): string {
  if (!isMonth(month)) return month ?? '—';
  const [y, m] = month.split('-').map(Number);
  return `${MONTHS[m - 1]} ${y}`;
}

/** Whether `value` is a real calendar date written `yyyy-mm-dd` (not `2026-02-30`). */
export function isDate(value: string | null | undefined): value is string {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = utc(value);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Whether `value` is a `yyyy-mm` month. */
export function isMonth(value: string | null | undefined): value is string {
  return !!value && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}
