import { describe, expect, it } from 'vitest';
import {
  formatQuantity,
  lineAmount,
  movementKind,
  parseSignedQuantity,
  quantityToApi,
  receiptTotal,
  withUnit,
} from './quantity';

describe('stock quantities', () => {
  it('reads what people type, with a sign and up to three decimals', () => {
    expect(parseSignedQuantity('5')).toBe(5000);
    expect(parseSignedQuantity(' -2.5 ')).toBe(-2500);
    expect(parseSignedQuantity('+0.125')).toBe(125);
    expect(parseSignedQuantity('−1')).toBe(-1000);
    expect(parseSignedQuantity('1,200.5')).toBe(1_200_500);
    expect(parseSignedQuantity('.5')).toBe(500);
    expect(parseSignedQuantity('1.2345')).toBeNull();
    expect(parseSignedQuantity('abc')).toBeNull();
    expect(parseSignedQuantity('-')).toBeNull();
    expect(parseSignedQuantity('')).toBeNull();
  });

  it('writes thousandths as the API reads them', () => {
    expect(quantityToApi(5500)).toBe('5.5');
    expect(quantityToApi(-1250)).toBe('-1.25');
    expect(quantityToApi(3000)).toBe('3');
    expect(quantityToApi(1)).toBe('0.001');
    expect(quantityToApi(0)).toBe('0');
  });

  it('shows quantities with Indian grouping, no trailing zeros and a real minus', () => {
    expect(formatQuantity('123456.500')).toBe('1,23,456.5');
    expect(formatQuantity('10.000')).toBe('10');
    expect(formatQuantity('-2')).toBe('−2');
    expect(formatQuantity('5.5', true)).toBe('+5.5');
    expect(formatQuantity('-1.25', true)).toBe('−1.25');
    expect(formatQuantity('0', true)).toBe('0');
    expect(formatQuantity(null)).toBe('—');
    expect(withUnit('14.250', 'kg')).toBe('14.25 kg');
    expect(withUnit(undefined, 'kg')).toBe('—');
  });

  it('computes a receipt line and total as the API does (half-up to the paisa)', () => {
    expect(lineAmount(5500, 10_000)).toBe(55_000);
    expect(lineAmount(1, 150)).toBe(0); // 0.15 paise
    expect(lineAmount(3, 500)).toBe(2); // 1.5 paise rounds up
    expect(lineAmount(2_500, 3_333)).toBe(8_333); // 8332.5 → 8333
    // Past 2^53 in the product, exact in BigInt.
    expect(lineAmount(10_000_000_000, 900_000_001)).toBe(9_000_000_010_000_000);
    expect(
      receiptTotal([
        { quantity_milli: 5500, unit_cost: 10_000 },
        { quantity_milli: 2_500, unit_cost: 3_333 },
        { quantity_milli: null, unit_cost: 100 },
        { quantity_milli: 1000, unit_cost: null },
      ]),
    ).toEqual({ total: 63_333, counted: 2 });
    expect(receiptTotal([])).toEqual({ total: 0, counted: 0 });
  });

  it('names the kinds of movement', () => {
    expect(movementKind('sale_reversed')).toBe('Sale reversed');
    expect(movementKind('opening')).toBe('Opening stock');
  });
});
