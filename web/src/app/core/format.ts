/**
 * Indian conventions for what the app shows: amounts in rupees with
 * lakh/crore grouping, dates as "30 Nov 2026", phones as "+91 98765 43210".
 * Amounts arrive from the API in paise (integers); instants as RFC 3339 UTC
 * and calendar dates as `yyyy-mm-dd`.
 */

const rupeeFormat = new Intl.NumberFormat('en-IN', {
  style: 'currency',
  currency: 'INR',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** `123456700` paise → `₹12,34,567.00`; negative amounts keep their sign. */
export function rupees(paise: number | null | undefined): string {
  if (paise === null || paise === undefined) return '—';
  // Integer paise → rupees without floating-point drift in the grouping.
  return rupeeFormat.format(paise / 100);
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'Asia/Kolkata',
});
const dayFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const timeFormat = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
  timeZone: 'Asia/Kolkata',
});

/**
 * A calendar date (`2026-11-30`) or an instant (`2026-11-30T18:45:00Z`) as
 * `30 Nov 2026`; instants in India Standard Time.
 */
export function indianDate(value: string | null | undefined): string {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return dayFormat.format(new Date(`${value}T00:00:00Z`));
  }
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : dateFormat.format(at);
}

/** An instant as `30 Nov 2026, 18:45` (India Standard Time). */
export function indianDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return value;
  return `${dateFormat.format(at)}, ${timeFormat.format(at)}`;
}

/**
 * An E.164 phone: Indian mobiles as `+91 98765 43210`, other numbers as
 * the country code and the rest, unchanged.
 */
export function phone(value: string | null | undefined): string {
  if (!value) return '—';
  const india = /^\+91(\d{5})(\d{5})$/.exec(value);
  if (india) return `+91 ${india[1]} ${india[2]}`;
  return value;
}

/** A snake_case API value (`in_process`, `admin_l1`) as words for people. */
export function label(value: string | null | undefined): string {
  if (!value) return '—';
  const known: Record<string, string> = {
    admin_l1: 'Admin L1',
    admin_senior: 'Senior admin',
    admin_super: 'Super admin',
    in_process: 'In process',
    referred: 'Referred to senior',
  };
  if (known[value]) return known[value];
  const words = value.replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
