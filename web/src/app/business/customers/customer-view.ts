import { indianDate, phone, rupees } from '../../core/format';

/** A running balance for people: who owes whom, and how much. */
export function balanceText(paise: number): { amount: string; text: string } {
  if (paise > 0) return { amount: rupees(paise), text: 'owes you' };
  if (paise < 0) return { amount: rupees(-paise), text: 'paid in advance (you owe them)' };
  return { amount: rupees(0), text: 'nothing owed either way' };
}

/** What the customer page says of a customer's payment reminders. */
export function reminderText(c: {
  reminders?: boolean;
  reminders_opted_out_at?: string | null;
}): string {
  if (c.reminders_opted_out_at) {
    return `Stopped by the customer on ${indianDate(c.reminders_opted_out_at)}, through the link in a reminder. You cannot turn them back on.`;
  }
  if (c.reminders === false) {
    return 'Off: this customer gets no payment reminders. Invoices you send them still go.';
  }
  return 'On: they get payment reminders on the schedule in your settings (when reminders are on there).';
}

/** Warnings about contacts that SMS or mail refused for good. */
export function undeliverableWarnings(c: {
  phone?: string | null;
  email?: string | null;
  sms_undeliverable?: boolean;
  mail_undeliverable?: boolean;
}): string[] {
  const out: string[] = [];
  if (c.sms_undeliverable) {
    out.push(
      `SMS to ${phone(c.phone)} could not be delivered: no SMS go to this number until you change it.`,
    );
  }
  if (c.mail_undeliverable) {
    out.push(
      `Mail to ${c.email ?? 'this address'} bounced: no mail goes to this address until you change it.`,
    );
  }
  return out;
}
