import { describe, expect, it } from 'vitest';
import type { components } from '../api/schema';
import { addMonths, monthName } from '../core/dates';
import { currentMonth } from '../core/dates';
import { balanceText, changeLines, daysLabel, orderTerms } from './util';

type Order = components['schemas']['Order'];

const order: Order = {
  id: 'ord_1',
  business_id: 'biz_1',
  customer_id: 'cus_1',
  customer_name: 'Anita Rao',
  type: 'scheduled',
  item: 'Cow milk',
  unit: 'litre',
  tax_rate_bp: 0,
  quantity: '1.5',
  rate: 6000,
  days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  terms: [],
  valid_from: '2026-11-01',
  status: 'active',
  customer_has_account: true,
  history: [],
  created_by: 'usr_1',
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
  version: 1,
};

describe('days of the week', () => {
  it('names common patterns', () => {
    expect(daysLabel(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'])).toBe('Every day');
    expect(daysLabel(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'])).toBe('Mon–Sat');
    expect(daysLabel(['fri', 'mon', 'wed'])).toBe('Mon, Wed, Fri');
  });
});

describe('months', () => {
  it('moves across years', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-11', 0)).toBe('2026-11');
  });
  it('is named in full', () => {
    expect(monthName('2026-11')).toBe('November 2026');
  });
  it('is today’s month in India', () => {
    // 20:00 UTC on 30 Nov is 1 Dec in India.
    expect(currentMonth('Asia/Kolkata', new Date('2026-11-30T20:00:00Z'))).toBe('2026-12');
  });
});

describe('a pending change', () => {
  it('lists what changes from what to what', () => {
    const lines = changeLines(order, {
      id: 'chg_1',
      kind: 'update',
      fields: { quantity: '2', rate: 6500, days: ['mon', 'wed', 'fri'] },
      effective_from: '2026-12-01',
      requested_by: 'usr_1',
      requested_at: '2026-12-01T00:00:00Z',
    });
    expect(lines).toEqual([
      { what: 'Quantity', from: '1.5 litre', to: '2 litre' },
      { what: 'Rate', from: '₹60.00 per litre', to: '₹65.00 per litre' },
      { what: 'Days', from: 'Every day', to: 'Mon, Wed, Fri' },
    ]);
  });
  it('says when an order is stopped', () => {
    const lines = changeLines(order, {
      id: 'chg_2',
      kind: 'update',
      fields: { status: 'inactive' },
      effective_from: '2026-12-01',
      requested_by: 'usr_1',
      requested_at: '2026-12-01T00:00:00Z',
    });
    expect(lines).toEqual([{ what: 'Status', from: 'Active', to: 'Stopped' }]);
  });
});

describe('orders and balances', () => {
  it('sums up the terms', () => {
    expect(orderTerms(order)).toBe('1.5 litre at ₹60.00 per litre, every day, from 1 Nov 2026');
    expect(orderTerms({ ...order, type: 'on_demand', rate: 0, valid_from: '2026-12-03', valid_till: '2026-12-03' })).toBe(
      '1.5 litre, on 3 Dec 2026',
    );
  });
  it('says who owes whom', () => {
    expect(balanceText(27000)).toBe('You owe ₹270.00');
    expect(balanceText(-5000)).toBe('Owed to you ₹50.00');
    expect(balanceText(0)).toBe('All settled');
  });
});
