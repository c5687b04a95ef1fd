import type { components } from '../../api/schema';
import { phone } from '../../core/format';

/**
 * Words for people about the notification engine: reminder stages, SMS
 * segments, send results, template errors. Pure functions (unit tested).
 */

export type ReminderPolicy = components['schemas']['ReminderPolicy'];
export type Notification = components['schemas']['Notification'];
export type Channels = components['schemas']['Channels'];
export type Channel = components['schemas']['Channel'];
export type TemplateKind = components['schemas']['TemplateKind'];
export type Segments = components['schemas']['Segments'];

/** `1 day` / `3 days`. */
function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

/** A list of day counts: `3`, `3 and 7`, `3, 7, 15` with the unit after the last. */
function dayList(values: number[]): string {
  if (values.length === 1) return days(values[0]);
  return `${values.join(', ')} days`;
}

/** One stage as the API's history says it: `3 days before the due date`, `on the due date`. */
export function stageLabel(offset: number): string {
  if (offset === 0) return 'on the due date';
  return offset < 0 ? `${days(-offset)} before the due date` : `${days(offset)} after the due date`;
}

/**
 * The schedule of a policy in words:
 * `3 days before · on the due date · 3, 7, 15 days after, then every 15 days until 90 days`.
 * Stages are described in the order given (the API refuses an unsorted list).
 */
export function scheduleWords(
  stages: readonly number[],
  repeatEvery: number | null | undefined,
  repeatUntil: number | null | undefined,
): string {
  if (!stages.length) return 'No reminders';
  const before = stages.filter((d) => d < 0).map((d) => -d);
  const after = stages.filter((d) => d > 0);
  const parts: string[] = [];
  if (before.length) parts.push(`${dayList(before)} before`);
  if (stages.includes(0)) parts.push('on the due date');
  if (after.length) parts.push(`${dayList(after)} after`);
  let text = parts.join(' · ');
  const every = Math.trunc(Number(repeatEvery) || 0);
  const until = Math.trunc(Number(repeatUntil) || 0);
  const last = stages[stages.length - 1];
  if (every > 0 && last + every <= until) {
    text += `, then every ${every === 1 ? 'day' : days(every)} until ${days(until)}`;
    if (!after.length) text += ' after';
  }
  return text;
}

/** Every day a reminder can fall on: the stages, then the repeats (as the API plans them). */
export function reminderDays(
  stages: readonly number[],
  repeatEvery: number,
  repeatUntil: number,
): number[] {
  const out = [...stages];
  const last = stages[stages.length - 1];
  if (last !== undefined && repeatEvery > 0) {
    for (let d = last + repeatEvery; d <= repeatUntil && out.length < 500; d += repeatEvery)
      out.push(d);
  }
  return out;
}

/**
 * `-3, 0, 3, 7, 15` (commas, spaces or both) → `[-3, 0, 3, 7, 15]`; null
 * when a part is not a whole number. The API checks the rest (order, range).
 */
export function parseStages(text: string): number[] | null {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.trim().replace(/^[−–]/, '-'))
    .filter(Boolean);
  if (!parts.length) return [];
  if (parts.some((p) => !/^[+-]?\d{1,4}$/.test(p))) return null;
  return parts.map(Number);
}

/** `[-3, 0, 3]` → `-3, 0, 3`. */
export function stagesText(stages: readonly number[] | null | undefined): string {
  return (stages ?? []).join(', ');
}

/** `sms` → `SMS`, `mail` → `Mail`, `both` → `SMS and mail`. */
export function channelsText(channels: Channels | Channel | null | undefined): string {
  switch (channels) {
    case 'sms':
      return 'SMS';
    case 'mail':
      return 'Mail';
    case 'both':
      return 'SMS and mail';
    default:
      return '—';
  }
}

/** What a template or notification is for, for people. */
export function kindText(kind: TemplateKind | null | undefined): string {
  switch (kind) {
    case 'reminder':
      return 'Reminder';
    case 'share':
      return 'Invoice sent';
    case 'digest':
      return 'Daily summary';
    default:
      return '—';
  }
}

/** `2 SMS segments, GSM (262 characters)` / `1 SMS segment, UCS-2 (68 characters)`. */
export function segmentsText(s: Segments | null | undefined): string {
  if (!s) return '';
  const encoding = s.encoding === 'gsm7' ? 'GSM' : s.encoding === 'ucs2' ? 'UCS-2' : s.encoding;
  const units = s.encoding === 'gsm7' ? 'characters' : 'UCS-2 characters';
  return `${s.segments} SMS segment${s.segments === 1 ? '' : 's'}, ${encoding} (${s.units} ${units})`;
}

/**
 * A 422 of a template for people: `Body, line 2: invoice.secret is not a
 * variable of reminder templates` (the pointer to the API route dropped).
 */
export function templateErrorText(field: string, detail: string): string {
  const where = field === 'subject' ? 'Subject' : field === 'body' ? 'Text' : field;
  const text = detail.replace(/\s*\(see GET [^)]*\)/, '');
  return `${where}: ${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** Where a notification went: an SMS's phone in the Indian format, a mail's address as it is. */
export function recipient(n: Pick<Notification, 'channel' | 'to'>): string {
  return n.channel === 'sms' ? phone(n.to) : n.to;
}

/**
 * What a send did, in one sentence: `Sent by SMS to +91 98123 45678 and by
 * mail to a@b.in.`, with failures and messages still being sent named.
 */
export function sendResult(
  sent: readonly Pick<Notification, 'channel' | 'to' | 'status' | 'error'>[],
): string {
  const how = (n: Pick<Notification, 'channel' | 'to'>) =>
    `by ${n.channel === 'sms' ? 'SMS' : 'mail'} to ${recipient(n)}`;
  const ok = sent.filter((n) => n.status === 'sent').map(how);
  const sending = sent.filter((n) => n.status === 'sending').map(how);
  const failed = sent.filter((n) => n.status === 'failed');
  const parts: string[] = [];
  if (ok.length) parts.push(`Sent ${ok.join(' and ')}.`);
  if (sending.length) parts.push(`Being sent ${sending.join(' and ')}.`);
  for (const f of failed) {
    const what = f.channel === 'sms' ? `The SMS to ${recipient(f)}` : `The mail to ${recipient(f)}`;
    parts.push(`${what} failed${f.error ? `: ${f.error}` : ''}.`);
  }
  return parts.join(' ') || 'Nothing was sent.';
}

/** `45 seconds`, `3 minutes`, `5 hours`. */
export function waitText(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 120) return `${s} second${s === 1 ? '' : 's'}`;
  if (s < 2 * 3600) return `${Math.ceil(s / 60)} minutes`;
  return `${Math.ceil(s / 3600)} hours`;
}

/** A 429 of sending an invoice, with its `Retry-After` (seconds) and the API's detail. */
export function retryText(retryAfter: number | null, detail: string | null | undefined): string {
  if (detail && /a day/.test(detail)) {
    return `This invoice was already sent the most times a day allows; try again ${
      retryAfter ? `in ${waitText(retryAfter)}` : 'tomorrow'
    }.`;
  }
  return `Sent a moment ago; try again in ${retryAfter ? waitText(retryAfter) : 'a minute'}.`;
}

/** An invoice's `reminder.last_result` for people. */
export function lastResultText(result: string | null | undefined): string {
  switch (result) {
    case 'sent':
      return 'sent';
    case 'reminders_off':
      return 'not sent: reminders were off';
    case 'opted_out':
      return 'not sent: reminders are off for this customer';
    case 'no_contact':
      return 'not sent: no phone or mail address to send to';
    case 'before_issue':
      return 'passed before the invoice was issued';
    default:
      return result ?? '';
  }
}

/**
 * An invoice history entry of a message (`invoice sent by SMS to
 * +919812345678: sent`) for people: capitalised, phones in the Indian format.
 */
export function messageEventText(detail: string): string {
  const text = detail.replace(/\+91\d{10}\b/g, (p) => phone(p));
  return text.charAt(0).toUpperCase() + text.slice(1);
}
