import { describe, expect, it } from 'vitest';
import {
  LineInputs,
  bpToPercent,
  defaultPlaceOfSupply,
  divRoundHalfUp,
  lineFigures,
  paiseToRupees,
  parseQuantity,
  percentToBp,
  rupeesToPaise,
  supplyOf,
  totals,
} from './compute';

/**
 * Lines whose figures were taken from the API (a draft invoice with these
 * lines, `POST /v1/invoices` on the local server, once intra-state and once
 * inter-state): [gross, discount, taxable, cgst, sgst, igst, tax, total].
 */
const CASES: { name: string; line: LineInputs; intra: number[]; inter: number[] }[] = [
  {
    name: '2.5 kg at ₹123.45, 10 % off, 5 % GST',
    line: {
      quantity_milli: 2500,
      unit_price: 12_345,
      discount: { rate_bp: 1000 },
      tax_rate_bp: 500,
    },
    intra: [30_863, 3086, 27_777, 694, 694, 0, 1388, 29_165],
    inter: [30_863, 3086, 27_777, 0, 0, 1389, 1389, 29_166],
  },
  {
    name: '1 × ₹500.01, ₹3.33 off, 18 %',
    line: { quantity_milli: 1000, unit_price: 50_001, discount: { paise: 333 }, tax_rate_bp: 1800 },
    intra: [50_001, 333, 49_668, 4470, 4470, 0, 8940, 58_608],
    inter: [50_001, 333, 49_668, 0, 0, 8940, 8940, 58_608],
  },
  {
    name: '0.333 × ₹999.99, 12.5 % off, 28 %',
    line: {
      quantity_milli: 333,
      unit_price: 99_999,
      discount: { rate_bp: 1250 },
      tax_rate_bp: 2800,
    },
    intra: [33_300, 4163, 29_137, 4079, 4079, 0, 8158, 37_295],
    inter: [33_300, 4163, 29_137, 0, 0, 8158, 8158, 37_295],
  },
  {
    name: 'half a paisa rounds up',
    line: { quantity_milli: 500, unit_price: 1, discount: null, tax_rate_bp: 0 },
    intra: [1, 0, 1, 0, 0, 0, 0, 1],
    inter: [1, 0, 1, 0, 0, 0, 0, 1],
  },
  {
    name: 'less than half a paisa rounds down',
    line: { quantity_milli: 5, unit_price: 1, discount: null, tax_rate_bp: 1800 },
    intra: [0, 0, 0, 0, 0, 0, 0, 0],
    inter: [0, 0, 0, 0, 0, 0, 0, 0],
  },
  {
    name: 'each half of GST is rounded on its own (10 paise at 5 %)',
    line: { quantity_milli: 1000, unit_price: 10, discount: null, tax_rate_bp: 500 },
    intra: [10, 0, 10, 0, 0, 0, 0, 10],
    inter: [10, 0, 10, 0, 0, 1, 1, 11],
  },
  {
    name: '50 paise at 3 %',
    line: { quantity_milli: 1000, unit_price: 50, discount: null, tax_rate_bp: 300 },
    intra: [50, 0, 50, 1, 1, 0, 2, 52],
    inter: [50, 0, 50, 0, 0, 2, 2, 52],
  },
  {
    name: 'a large line: 12,345.678 × ₹8,765.43, 1 paisa off, 18 %',
    line: {
      quantity_milli: 12_345_678,
      unit_price: 876_543,
      discount: { paise: 1 },
      tax_rate_bp: 1800,
    },
    intra: [
      10_821_517_631, 1, 10_821_517_630, 973_936_587, 973_936_587, 0, 1_947_873_174, 12_769_390_804,
    ],
    inter: [10_821_517_631, 1, 10_821_517_630, 0, 0, 1_947_873_173, 1_947_873_173, 12_769_390_803],
  },
];

const figures = (line: LineInputs, supply: 'intra_state' | 'inter_state') => {
  const f = lineFigures(line, supply);
  return [f.gross, f.discount, f.taxable, f.cgst, f.sgst, f.igst, f.tax, f.total];
};

describe('lineFigures (as the API computes them)', () => {
  for (const c of CASES) {
    it(c.name, () => {
      expect(figures(c.line, 'intra_state')).toEqual(c.intra);
      expect(figures(c.line, 'inter_state')).toEqual(c.inter);
    });
  }
  it('stays exact when quantity × price passes 2^53 (BigInt)', () => {
    // 9,007.501 × ₹99,99,999.99 = 9,007,500,990,992.499 paise → …992
    const line: LineInputs = {
      quantity_milli: 9_007_501,
      unit_price: 999_999_999,
      discount: null,
      tax_rate_bp: 0,
    };
    expect(lineFigures(line, 'intra_state').gross).toBe(9_007_500_990_992);
    expect(Math.round((9_007_501 * 999_999_999) / 1000)).toBe(9_007_500_990_993); // what floats would give
  });
});

describe('totals', () => {
  it('sums the lines, as the API did for the invoice of all the cases', () => {
    const intra = totals(CASES.map((c) => lineFigures(c.line, 'intra_state')));
    expect(intra).toEqual({
      subtotal: 10_821_631_856,
      discount_total: 7583,
      taxable_total: 10_821_624_273,
      cgst_total: 973_945_831,
      sgst_total: 973_945_831,
      igst_total: 0,
      tax_total: 1_947_891_662,
      total: 12_769_515_935,
    });
    const inter = totals(CASES.map((c) => lineFigures(c.line, 'inter_state')));
    expect(inter.igst_total).toBe(1_947_891_663);
    expect(inter.total).toBe(12_769_515_936);
  });
});

describe('rounding', () => {
  it('rounds half away from zero', () => {
    expect(divRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divRoundHalfUp(-5n, 2n)).toBe(-3n);
    expect(divRoundHalfUp(4n, 3n)).toBe(1n);
  });
});

describe('place of supply', () => {
  it("is the customer's GSTIN state, else the business's own", () => {
    expect(defaultPlaceOfSupply('29AAPFU0939F1ZR', '27')).toBe('29');
    expect(defaultPlaceOfSupply(null, '27')).toBe('27');
    expect(defaultPlaceOfSupply(null, null)).toBeNull();
  });
  it('is inter-state only when the business has a state that differs', () => {
    expect(supplyOf('27', '29')).toBe('inter_state');
    expect(supplyOf('27', '27')).toBe('intra_state');
    expect(supplyOf(null, '29')).toBe('intra_state');
    expect(supplyOf('27', null)).toBe('intra_state');
  });
});

describe('what people type', () => {
  it('reads rupees into exact paise', () => {
    expect(rupeesToPaise('123.45')).toBe(12_345);
    expect(rupeesToPaise('0.1')).toBe(10);
    expect(rupeesToPaise('1,234.5')).toBe(123_450);
    expect(rupeesToPaise('.07')).toBe(7);
    expect(rupeesToPaise('19.99')).toBe(1999); // 19.99 × 100 is 1998.9999… in floating point
    expect(rupeesToPaise('1.234')).toBeNull();
    expect(rupeesToPaise('-1')).toBeNull();
    expect(rupeesToPaise('abc')).toBeNull();
    expect(rupeesToPaise('')).toBeNull();
  });
  it('reads quantities with up to three decimals', () => {
    expect(parseQuantity('2.5')).toBe(2500);
    expect(parseQuantity('0.125')).toBe(125);
    expect(parseQuantity('10')).toBe(10_000);
    expect(parseQuantity('1.2345')).toBeNull();
    expect(parseQuantity('.')).toBeNull();
  });
  it('reads percentages into basis points', () => {
    expect(percentToBp('18')).toBe(1800);
    expect(percentToBp('12.5')).toBe(1250);
    expect(percentToBp('0.25')).toBe(25);
  });
  it('writes paise and basis points back for editing', () => {
    expect(paiseToRupees(12_345)).toBe('123.45');
    expect(paiseToRupees(12_340)).toBe('123.4');
    expect(paiseToRupees(12_305)).toBe('123.05');
    expect(paiseToRupees(5000)).toBe('50');
    expect(bpToPercent(1800)).toBe('18');
    expect(bpToPercent(1250)).toBe('12.5');
  });
});
