import { Sort } from '@angular/material/sort';

/**
 * The rows sorted by the chosen column (numbers by value, the rest as
 * text); the rows as they are when no column or direction is chosen.
 * Sorts the page shown: the API's lists page with a cursor in their own
 * order.
 */
export function sortRows<T extends object>(rows: readonly T[], sort: Sort | null): T[] {
  if (!sort?.active || !sort.direction) return [...rows];
  const key = sort.active as keyof T;
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
    return sign * String(x ?? '').localeCompare(String(y ?? ''));
  });
}
