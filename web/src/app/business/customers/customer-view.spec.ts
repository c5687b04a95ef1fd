import { describe, expect, it } from 'vitest';
import { reminderText, undeliverableWarnings } from './customer-view';

describe('reminderText', () => {
  it('says who stopped the reminders', () => {
    expect(
      reminderText({ reminders: false, reminders_opted_out_at: '2026-12-01T18:36:30Z' }),
    ).toMatch(/^Stopped by the customer on 2 Dec 2026/);
    expect(reminderText({ reminders: false })).toMatch(/^Off:/);
    expect(reminderText({ reminders: true })).toMatch(/^On:/);
  });
});

describe('undeliverableWarnings', () => {
  it('names the refused phone and address', () => {
    expect(
      undeliverableWarnings({
        phone: '+919812345678',
        email: 'a@b.in',
        sms_undeliverable: true,
        mail_undeliverable: true,
      }),
    ).toEqual([
      'SMS to +91 98123 45678 could not be delivered: no SMS go to this number until you change it.',
      'Mail to a@b.in bounced: no mail goes to this address until you change it.',
    ]);
    expect(undeliverableWarnings({ phone: '+919812345678' })).toEqual([]);
  });
});
