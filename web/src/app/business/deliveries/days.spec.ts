import { describe, expect, it } from 'vitest';
import {
  Order,
  addDays,
  addMonths,
  dayOfWeek,
  daysOfMonth,
  daysText,
  monthName,
  paiseToRupeesText,
  qty,
  rupeesToPaise,
  sameQty,
  scheduledOn,
  termsOn,
  todayIn,
} from './days';

function order(partial: Partial<Order>): Order {
  return {
    id: 'ord_1',
    business_id: 'biz_1',
    customer_id: 'cus_1',
    customer_name: 'Ramesh',
    type: 'scheduled',
    item: 'Cow milk',
    unit: 'litre',
    tax_rate_bp: 0,
    quantity: '2',
    rate: 6000,
    days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
    terms: [{ from: '2026-11-01', quantity: '1', rate: 6000, days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] }],
    valid_from: '2026-11-01',
    status: 'active',
    customer_has_account: false,
    history: [],
    created_by: 'usr_1',
    created_at: '2026-11-01T00:00:00Z',
    updated_at: '2026-11-01T00:00:00Z',
    version: 1,
    ...partial,
  };
}

describe('calendar days', () => {
  it('moves across months and leap years', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(daysOfMonth('2026-02')).toHaveLength(28);
    expect(daysOfMonth('2026-12').at(-1)).toBe('2026-12-31');
  });
  it('names days and months', () => {
    expect(dayOfWeek('2026-11-29')).toBe('sun');
    expect(monthName('2026-11')).toBe('November 2026');
    expect(daysText(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'])).toBe('Mon–Sat');
    expect(daysText(['mon', 'wed', 'fri'])).toBe('Mon, Wed, Fri');
    expect(daysText(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'])).toBe('Every day');
  });
  it('takes today in the business time zone, not the browser’s', () => {
    // 20:00 UTC on 30 Nov is already 1 Dec in India.
    expect(todayIn('Asia/Kolkata', new Date('2026-11-30T20:00:00Z'))).toBe('2026-12-01');
    expect(todayIn('Not/AZone', new Date('2026-11-30T20:00:00Z'))).toBe('2026-12-01');
  });
});

describe('orders on a day', () => {
  it('uses the terms in force on the date', () => {
    const o = order({ terms: [order({}).terms[0], { from: '2026-12-05', quantity: '2', rate: 6400, days: ['sun'] }] });
    expect(termsOn(o, '2026-12-04').quantity).toBe('1');
    expect(termsOn(o, '2026-12-05').rate).toBe(6400);
    expect(scheduledOn(o, '2026-12-04')).toBe(true); // a Friday, old terms
    expect(scheduledOn(o, '2026-12-06')).toBe(true); // a Sunday, new terms
    expect(scheduledOn(o, '2026-12-07')).toBe(false); // a Monday, new terms
  });
  it('is not due outside its validity', () => {
    const o = order({ valid_till: '2026-11-30' });
    expect(scheduledOn(o, '2026-10-31')).toBe(false);
    expect(scheduledOn(o, '2026-11-30')).toBe(true);
    expect(scheduledOn(o, '2026-12-01')).toBe(false);
  });
});

describe('amounts and quantities', () => {
  it('reads rupees into paise exactly', () => {
    expect(rupeesToPaise('60')).toBe(6000);
    expect(rupeesToPaise('72.5')).toBe(7250);
    expect(rupeesToPaise('₹1,23,456.07')).toBe(12345607);
    expect(rupeesToPaise('0.1')).toBe(10);
    expect(rupeesToPaise('1.234')).toBeNull();
    expect(rupeesToPaise('abc')).toBeNull();
    expect(paiseToRupeesText(7250)).toBe('72.50');
  });
  it('shows quantities without trailing zeros', () => {
    expect(qty('1.500')).toBe('1.5');
    expect(qty('2.000')).toBe('2');
    expect(qty('10')).toBe('10');
    expect(sameQty('2', '2.000')).toBe(true);
    expect(sameQty('2', '2.5')).toBe(false);
  });
});
