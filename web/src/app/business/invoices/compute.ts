/**
 * The figures of an invoice exactly as the API computes them
 * (`shared/src/ledger/invoices/compute.rs`), so the billing form shows
 * live what the saved invoice will say. All amounts are integer paise;
 * quantities are thousandths (`2.5` → 2500). Products are done in BigInt:
 * `quantity × price` can pass 2^53.
 *
 * Per line, rounding half-up (away from zero) to the paisa:
 * 1. `gross = quantity × unit_price`;
 * 2. `discount` = the amount given, or `gross × rate_bp / 10000`;
 * 3. `taxable = gross − discount`;
 * 4. intra-state: `cgst = sgst = taxable × (rate_bp / 2) / 10000` (each
 *    rounded), inter-state: `igst = taxable × rate_bp / 10000`;
 * 5. `total = taxable + tax`. The invoice's figures are the lines' sums.
 */

/** Whether GST is split into CGST + SGST or charged as IGST. */
export type Supply = 'intra_state' | 'inter_state';

/** A line's discount: an amount in paise or a rate in basis points. */
export type Discount = { paise: number } | { rate_bp: number } | null;

/** What the form knows of a line. */
export interface LineInputs {
  /** Thousandths of a unit. */
  quantity_milli: number;
  unit_price: number;
  discount: Discount;
  tax_rate_bp: number;
}

/** A line's figures (paise). */
export interface LineFigures {
  gross: number;
  discount: number;
  taxable: number;
  cgst: number;
  sgst: number;
  igst: number;
  tax: number;
  total: number;
}

/** An invoice's figures (paise), the sums of its lines'. */
export interface Totals {
  subtotal: number;
  discount_total: number;
  taxable_total: number;
  cgst_total: number;
  sgst_total: number;
  igst_total: number;
  tax_total: number;
  total: number;
}

/** `numerator / denominator` rounded half away from zero (`div_round_half_up`). */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const q = (abs * 2n + denominator) / (denominator * 2n);
  return negative ? -q : q;
}

/** `amount × rate_bp / 10000`, rounded half-up (`apply_rate`). */
export function applyRate(amount: number, rateBp: number): number {
  return Number(divRoundHalfUp(BigInt(amount) * BigInt(rateBp), 10_000n));
}

/** One line's figures (`line_figures`). */
export function lineFigures(line: LineInputs, supply: Supply): LineFigures {
  const gross = Number(
    divRoundHalfUp(BigInt(line.quantity_milli) * BigInt(line.unit_price), 1000n),
  );
  let discount = 0;
  if (line.discount && 'rate_bp' in line.discount)
    discount = applyRate(gross, line.discount.rate_bp);
  else if (line.discount) discount = line.discount.paise;
  const taxable = gross - discount;
  let cgst = 0;
  let sgst = 0;
  let igst = 0;
  if (supply === 'intra_state') {
    cgst = sgst = Number(divRoundHalfUp(BigInt(taxable) * BigInt(line.tax_rate_bp), 20_000n));
  } else {
    igst = applyRate(taxable, line.tax_rate_bp);
  }
  const tax = cgst + sgst + igst;
  return { gross, discount, taxable, cgst, sgst, igst, tax, total: taxable + tax };
}

/** The invoice's totals: the sums of the lines' figures. */
export function totals(lines: readonly LineFigures[]): Totals {
  const sum = (f: (l: LineFigures) => number) => lines.reduce((s, l) => s + f(l), 0);
  return {
    subtotal: sum((l) => l.gross),
    discount_total: sum((l) => l.discount),
    taxable_total: sum((l) => l.taxable),
    cgst_total: sum((l) => l.cgst),
    sgst_total: sum((l) => l.sgst),
    igst_total: sum((l) => l.igst),
    tax_total: sum((l) => l.tax),
    total: sum((l) => l.total),
  };
}

/**
 * The place of supply when none is chosen: the state of the customer's
 * GSTIN, else the business's own state (`place_of_supply`).
 */
export function defaultPlaceOfSupply(
  customerGstin: string | null | undefined,
  ownState: string | null,
): string | null {
  return customerGstin ? customerGstin.slice(0, 2) : ownState;
}

/**
 * Inter-state (IGST) when the business has a GSTIN and its state differs
 * from the place of supply; intra-state (CGST + SGST) otherwise.
 */
export function supplyOf(ownState: string | null, placeOfSupply: string | null): Supply {
  return ownState && placeOfSupply && ownState !== placeOfSupply ? 'inter_state' : 'intra_state';
}

/** A decimal `raw` with at most `decimals` decimals as an integer of that scale; null when not one. */
function scaled(raw: string, decimals: number): number | null {
  const t = raw.trim().replace(/,/g, '');
  const m = /^(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (!m[1] && !m[2]) || (m[2] ?? '').length > decimals) return null;
  if (m[1].length > 12) return null;
  const whole = m[1] ? Number(m[1]) : 0;
  const frac = Number((m[2] ?? '').padEnd(decimals, '0') || '0');
  return whole * 10 ** decimals + frac;
}

/** A quantity typed by people (`2.5`, `0.125`) in thousandths; null unless a decimal with ≤ 3 decimals. */
export function parseQuantity(raw: string): number | null {
  return scaled(raw, 3);
}

/** Rupees typed by people (`1,234.50`) in paise, exactly; null unless a decimal with ≤ 2 decimals. */
export function rupeesToPaise(raw: string): number | null {
  return scaled(raw, 2);
}

/** A percentage typed by people (`18`, `12.5`) in basis points; null unless ≤ 2 decimals. */
export function percentToBp(raw: string): number | null {
  return scaled(raw, 2);
}

/** Paise as a rupee amount to edit (`12345` → `123.45`, `5000` → `50`). */
export function paiseToRupees(paise: number): string {
  const sign = paise < 0 ? '-' : '';
  const a = Math.abs(paise);
  const frac = a % 100;
  return `${sign}${Math.floor(a / 100)}${frac ? '.' + frac.toString().padStart(2, '0').replace(/0$/, '') : ''}`;
}

/** Basis points as a percentage (`1800` → `18`, `1250` → `12.5`). */
export function bpToPercent(bp: number): string {
  return paiseToRupees(bp);
}
