import { describe, expect, it } from 'vitest';
import {
  lastResultText,
  messageEventText,
  parseStages,
  reminderDays,
  retryText,
  scheduleWords,
  segmentsText,
  sendResult,
  stageLabel,
  templateErrorText,
  waitText,
} from './words';

describe('scheduleWords', () => {
  it('says the default schedule as people read it', () => {
    expect(scheduleWords([-3, 0, 3, 7, 15], 15, 90)).toBe(
      '3 days before · on the due date · 3, 7, 15 days after, then every 15 days until 90 days',
    );
  });
  it('handles single days, no repeats and repeats after a stage on or before the due date', () => {
    expect(scheduleWords([-1, 1], 0, 90)).toBe('1 day before · 1 day after');
    expect(scheduleWords([0], 1, 10)).toBe('on the due date, then every day until 10 days after');
    expect(scheduleWords([-7, -2], 30, 20)).toBe('7, 2 days before');
    expect(scheduleWords([], 15, 90)).toBe('No reminders');
  });
});

describe('reminderDays', () => {
  it('adds the repeats after the last stage up to the limit', () => {
    expect(reminderDays([-3, 0, 3, 7, 15], 15, 90)).toEqual([-3, 0, 3, 7, 15, 30, 45, 60, 75, 90]);
    expect(reminderDays([0], 0, 90)).toEqual([0]);
  });
});

describe('parseStages', () => {
  it('reads numbers separated by commas or spaces, with a typographic minus', () => {
    expect(parseStages('-3, 0, 3,7  15')).toEqual([-3, 0, 3, 7, 15]);
    expect(parseStages('−3 0')).toEqual([-3, 0]);
    expect(parseStages('')).toEqual([]);
  });
  it('refuses what is not a whole number', () => {
    expect(parseStages('3, a week')).toBeNull();
    expect(parseStages('1.5')).toBeNull();
  });
});

describe('stageLabel', () => {
  it('matches the API history words', () => {
    expect(stageLabel(-3)).toBe('3 days before the due date');
    expect(stageLabel(0)).toBe('on the due date');
    expect(stageLabel(1)).toBe('1 day after the due date');
  });
});

describe('segmentsText', () => {
  it('names the segments and the encoding', () => {
    expect(segmentsText({ encoding: 'gsm7', units: 262, segments: 2 })).toBe(
      '2 SMS segments, GSM (262 characters)',
    );
    expect(segmentsText({ encoding: 'ucs2', units: 60, segments: 1 })).toBe(
      '1 SMS segment, UCS-2 (60 UCS-2 characters)',
    );
    expect(segmentsText(null)).toBe('');
  });
});

describe('templateErrorText', () => {
  it('keeps the line and drops the pointer to the API route', () => {
    expect(
      templateErrorText(
        'body',
        'line 2: invoice.secret is not a variable of reminder templates (see GET /v1/business/templates)',
      ),
    ).toBe('Text: Line 2: invoice.secret is not a variable of reminder templates');
    expect(templateErrorText('subject', 'a mail template has a subject')).toBe(
      'Subject: A mail template has a subject',
    );
  });
});

describe('sendResult', () => {
  it('says where it went and what failed', () => {
    expect(
      sendResult([
        { channel: 'sms', to: '+919812345678', status: 'sent' },
        { channel: 'mail', to: 'ramesh@example.com', status: 'sent' },
      ]),
    ).toBe('Sent by SMS to +91 98123 45678 and by mail to ramesh@example.com.');
    expect(
      sendResult([
        { channel: 'sms', to: '+919812345678', status: 'failed', error: 'number refused' },
        { channel: 'mail', to: 'a@b.in', status: 'sending' },
      ]),
    ).toBe('Being sent by mail to a@b.in. The SMS to +91 98123 45678 failed: number refused.');
    expect(sendResult([])).toBe('Nothing was sent.');
  });
});

describe('retryText and waitText', () => {
  it('tells how long to wait', () => {
    expect(retryText(60, 'this invoice was sent a moment ago')).toBe(
      'Sent a moment ago; try again in 60 seconds.',
    );
    expect(retryText(7200, 'an invoice is sent at most 5 times a day')).toBe(
      'This invoice was already sent the most times a day allows; try again in 2 hours.',
    );
    expect(waitText(1)).toBe('1 second');
    expect(waitText(300)).toBe('5 minutes');
  });
});

describe('lastResultText and messageEventText', () => {
  it('words the reminder state and the history entries', () => {
    expect(lastResultText('no_contact')).toBe('not sent: no phone or mail address to send to');
    expect(messageEventText('invoice sent by SMS to +919812345678: sent')).toBe(
      'Invoice sent by SMS to +91 98123 45678: sent',
    );
  });
});
