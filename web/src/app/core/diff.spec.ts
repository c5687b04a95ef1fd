import { describe, expect, it } from 'vitest';
import { diff } from './diff';

describe('diff', () => {
  it('lists changed fields with their old and new values', () => {
    expect(diff({ status: 'pending', amount_paise: 100, version: 1 }, { status: 'approved', amount_paise: 100, version: 2 })).toEqual([
      { field: 'status', before: 'pending', after: 'approved' },
    ]);
  });
  it('follows nested objects by dotted path and shows added and removed fields', () => {
    expect(diff({ rating: { score: 80 }, note: 'x' }, { rating: { score: 40 }, city: 'Pune' })).toEqual([
      { field: 'city', before: '—', after: 'Pune' },
      { field: 'note', before: 'x', after: '—' },
      { field: 'rating.score', before: '80', after: '40' },
    ]);
  });
  it('shows a creation (no before) as every field added', () => {
    expect(diff(null, { status: 'active', amount_paise: 5, version: 1 })).toEqual([
      { field: 'amount_paise', before: '—', after: '5' },
      { field: 'status', before: '—', after: 'active' },
    ]);
  });
  it('compares plain values as one change', () => {
    expect(diff(1, 2)).toEqual([{ field: 'value', before: '1', after: '2' }]);
  });
  it('finds nothing when nothing changed', () => {
    expect(diff({ a: [1, 2] }, { a: [1, 2] })).toEqual([]);
  });
});
