import { describe, expect, it } from 'vitest';
import { indianDate, indianDateTime, label, phone, rupees } from './format';

describe('rupees', () => {
  it('groups in lakhs and crores with two decimals', () => {
    expect(rupees(123456700)).toBe('₹12,34,567.00');
    expect(rupees(1234567890)).toBe('₹1,23,45,678.90');
    expect(rupees(5)).toBe('₹0.05');
    expect(rupees(0)).toBe('₹0.00');
  });
  it('keeps the sign of a credit', () => {
    expect(rupees(-150000)).toBe('-₹1,500.00');
  });
  it('shows a dash for a missing amount', () => {
    expect(rupees(null)).toBe('—');
  });
});

describe('dates', () => {
  it('shows calendar dates as day, short month, year', () => {
    expect(indianDate('2026-11-30')).toBe('30 Nov 2026');
    expect(indianDate('2026-01-05')).toBe('5 Jan 2026');
  });
  it('shows instants in India Standard Time', () => {
    // 20:00 UTC is 01:30 the next day in India.
    expect(indianDate('2026-11-30T20:00:00Z')).toBe('1 Dec 2026');
    expect(indianDateTime('2026-11-30T20:00:00Z')).toBe('1 Dec 2026, 01:30');
  });
  it('passes through what it cannot read', () => {
    expect(indianDate('soon')).toBe('soon');
    expect(indianDate(undefined)).toBe('—');
  });
});

describe('phone', () => {
  it('groups an Indian mobile five and five', () => {
    expect(phone('+919876543210')).toBe('+91 98765 43210');
  });
  it('leaves other numbers alone', () => {
    expect(phone('+14155550100')).toBe('+14155550100');
  });
});

describe('label', () => {
  it('names admin levels and statuses for people', () => {
    expect(label('admin_l1')).toBe('Admin L1');
    expect(label('in_process')).toBe('In process');
    expect(label('edit_request')).toBe('Edit request');
  });
});
