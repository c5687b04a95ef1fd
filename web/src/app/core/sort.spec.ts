import { describe, expect, it } from 'vitest';
import { sortRows } from './sort';

const rows = [
  { name: 'Bharat', amount: 500, at: null as string | null },
  { name: 'asha', amount: 20, at: '2026-11-02' },
  { name: 'Chetan', amount: 1000, at: '2026-11-01' },
];

describe('sortRows', () => {
  it('sorts numbers by value, not as text', () => {
    expect(sortRows(rows, { active: 'amount', direction: 'desc' }).map((r) => r.amount)).toEqual([1000, 500, 20]);
  });
  it('sorts text by the locale, ignoring case, and puts missing values first ascending', () => {
    expect(sortRows(rows, { active: 'name', direction: 'asc' }).map((r) => r.name)).toEqual(['asha', 'Bharat', 'Chetan']);
    expect(sortRows(rows, { active: 'at', direction: 'asc' }).map((r) => r.name)).toEqual(['Bharat', 'Chetan', 'asha']);
  });
  it('keeps the order when no direction is chosen', () => {
    expect(sortRows(rows, { active: 'amount', direction: '' })).toEqual(rows);
  });
});
