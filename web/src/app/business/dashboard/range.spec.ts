import { describe, expect, it } from 'vitest';
import { periodLabel, shortRupees } from './chart-format';
import {
  addDays,
  agingInvoices,
  fyStart,
  invoicesOf,
  isDate,
  presetRange,
  resolveRange,
  todayIn,
} from './range';

describe('presetRange', () => {
  it('turns each preset into the dates of the API', () => {
    const today = '2026-11-26';
    expect(presetRange('this_month', today)).toEqual({ from: '2026-11-01', to: '2026-11-26' });
    expect(presetRange('last_month', today)).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(presetRange('last_30_days', today)).toEqual({ from: '2026-10-28', to: '2026-11-26' });
    expect(presetRange('last_3_months', today)).toEqual({ from: '2026-09-01', to: '2026-11-26' });
    expect(presetRange('last_12_months', today)).toEqual({ from: '2025-12-01', to: '2026-11-26' });
    expect(presetRange('custom', today)).toBeNull();
  });

  it('follows the Indian financial year (April to March)', () => {
    expect(fyStart('2026-03-31')).toBe('2025-04-01');
    expect(fyStart('2026-04-01')).toBe('2026-04-01');
    expect(presetRange('this_fy', '2027-02-10')).toEqual({ from: '2026-04-01', to: '2027-02-10' });
    expect(presetRange('last_fy', '2026-11-26')).toEqual({ from: '2025-04-01', to: '2026-03-31' });
  });

  it('crosses year ends and leap days', () => {
    expect(presetRange('last_month', '2026-01-15')).toEqual({
      from: '2025-12-01',
      to: '2025-12-31',
    });
    expect(presetRange('last_month', '2028-03-03')).toEqual({
      from: '2028-02-01',
      to: '2028-02-29',
    });
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});

describe('resolveRange', () => {
  const today = '2026-11-26';
  it('defaults to this month, like the API', () => {
    expect(resolveRange({}, today)).toEqual({
      preset: 'this_month',
      range: { from: '2026-11-01', to: '2026-11-26' },
      problem: null,
    });
  });
  it('takes valid custom dates', () => {
    expect(resolveRange({ from: '2026-01-05', to: '2026-02-10' }, today)).toEqual({
      preset: 'custom',
      range: { from: '2026-01-05', to: '2026-02-10' },
      problem: null,
    });
  });
  it('says what is wrong with custom dates and keeps a usable range', () => {
    expect(resolveRange({ from: '2026-02-10', to: '2026-01-05' }, today).problem).toBe(
      'The first day is after the last day.',
    );
    expect(
      resolveRange({ range: 'custom', from: '2026-02-30', to: '2026-03-01' }, today).problem,
    ).toBe('Choose both a first and a last day.');
    expect(resolveRange({ from: '2020-01-01', to: '2026-01-01' }, today).problem).toBe(
      'Choose at most three years.',
    );
    expect(resolveRange({ from: '2026-02-10', to: '2026-01-05' }, today).range).toEqual({
      from: '2026-11-01',
      to: '2026-11-26',
    });
  });
  it('ignores an unknown preset', () => {
    expect(resolveRange({ range: 'yesterday' }, today).preset).toBe('this_month');
  });
});

describe('invoice links', () => {
  it('names the filters as GET /v1/invoices does', () => {
    const range = { from: '2026-11-01', to: '2026-11-26' };
    expect(invoicesOf(range)).toEqual({ from: '2026-11-01', to: '2026-11-26' });
    expect(invoicesOf(range, 'overdue')).toEqual({
      status: 'overdue',
      from: '2026-11-01',
      to: '2026-11-26',
    });
  });
  it('turns aging buckets into due-date ranges of overdue invoices', () => {
    expect(agingInvoices('1-30', '2026-11-26')).toEqual({
      status: 'overdue',
      due_from: '2026-10-27',
      due_to: '2026-11-25',
    });
    expect(agingInvoices('61-90', '2026-11-26')).toEqual({
      status: 'overdue',
      due_from: '2026-08-28',
      due_to: '2026-09-26',
    });
    expect(agingInvoices('90+', '2026-11-26')).toEqual({ status: 'overdue', due_to: '2026-08-27' });
    expect(agingInvoices('current', '2026-11-26')).toBeNull();
  });
});

describe('days', () => {
  it('knows real dates', () => {
    expect(isDate('2028-02-29')).toBe(true);
    expect(isDate('2026-02-29')).toBe(false);
    expect(isDate('26-11-2026')).toBe(false);
  });
  it('knows the day in India', () => {
    // 20:00 UTC on 30 Nov is 01:30 on 1 Dec in India.
    expect(todayIn('Asia/Kolkata', new Date('2026-11-30T20:00:00Z'))).toBe('2026-12-01');
  });
});

describe('chart labels', () => {
  it('shortens amounts in lakhs and crores', () => {
    expect(shortRupees(0)).toBe('₹0');
    expect(shortRupees(4_500_000)).toBe('₹45K');
    expect(shortRupees(123_000_000)).toBe('₹12.3 L');
    expect(shortRupees(1_500_000_000)).toBe('₹1.5 Cr');
    expect(shortRupees(-150_000)).toBe('-₹1.5K');
    expect(periodLabel('2026-11-05')).toBe('5 Nov');
    expect(periodLabel('2026-11')).toBe('Nov 2026');
  });
});
