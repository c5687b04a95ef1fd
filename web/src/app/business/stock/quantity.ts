/**
 * Stock quantities as the API writes them: decimal strings with at most
 * three decimals (`"14.25"`, `"-1.5"`), worked on as integer thousandths
 * so that nothing drifts; amounts are integer paise.
 */
import type { components } from '../../api/schema';
import { divRoundHalfUp } from '../invoices/compute';

type MovementKind = components['schemas']['MovementKind'];

/** A quantity typed by people (`5`, `-2.5`, `+0.125`, `1,200`) in thousandths; null unless one. */
export function parseSignedQuantity(raw: string): number | null {
  const t = raw.trim().replace(/,/g, '').replace(/^−/, '-');
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (!m[2] && !m[3]) || (m[3] ?? '').length > 3 || m[2].length > 12) return null;
  const milli = Number(m[2] || '0') * 1000 + Number((m[3] ?? '').padEnd(3, '0') || '0');
  return m[1] === '-' ? -milli : milli;
}

/** Thousandths as the API's decimal string: `5500` → `"5.5"`, `-1250` → `"-1.25"`, `3000` → `"3"`. */
export function quantityToApi(milli: number): string {
  const sign = milli < 0 ? '-' : '';
  const a = Math.abs(milli);
  const frac = (a % 1000).toString().padStart(3, '0').replace(/0+$/, '');
  return `${sign}${Math.floor(a / 1000)}${frac ? '.' + frac : ''}`;
}

/** An API quantity in thousandths (`"14.25"` → 14250); null when absent or not a quantity. */
export function quantityMilli(q: string | null | undefined): number | null {
  return q === null || q === undefined ? null : parseSignedQuantity(q);
}

/** `12345.5` → `12,345.5` (lakh grouping). */
function groupIndian(whole: string): string {
  if (whole.length <= 3) return whole;
  const last = whole.slice(-3);
  const rest = whole.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  return `${rest},${last}`;
}

/**
 * An API quantity for people: Indian grouping, no trailing zeros, a real
 * minus sign: `"123456.500"` → `1,23,456.5`, `"-2"` → `−2`; `—` when absent.
 * With `signed`, positive quantities get a `+` (movements in and out).
 */
export function formatQuantity(q: string | null | undefined, signed = false): string {
  const milli = quantityMilli(q);
  if (milli === null) return q ? q : '—';
  const plain = quantityToApi(milli);
  const negative = plain.startsWith('-');
  const [whole, frac] = (negative ? plain.slice(1) : plain).split('.');
  const text = groupIndian(whole) + (frac ? '.' + frac : '');
  return negative ? `−${text}` : signed && milli > 0 ? `+${text}` : text;
}

/** A quantity with its unit: `14.25 kg`. */
export function withUnit(q: string | null | undefined, unit: string | null | undefined): string {
  const f = formatQuantity(q);
  return f === '—' || !unit ? f : `${f} ${unit}`;
}

/** `quantity × unit_cost`, rounded half-up to the paisa, as the API computes a receipt line's amount. */
export function lineAmount(quantityMilli: number, unitCostPaise: number): number {
  return Number(divRoundHalfUp(BigInt(quantityMilli) * BigInt(unitCostPaise), 1000n));
}

/** What the receipt form knows of a line; `null` where the entry is empty or not readable yet. */
export interface ReceiptLineEntry {
  quantity_milli: number | null;
  unit_cost: number | null;
}

/** A receipt's total (paise) and how many of its lines are complete enough to count. */
export function receiptTotal(lines: readonly ReceiptLineEntry[]): {
  total: number;
  counted: number;
} {
  let total = 0;
  let counted = 0;
  for (const l of lines) {
    if (l.quantity_milli === null || l.unit_cost === null) continue;
    total += lineAmount(l.quantity_milli, l.unit_cost);
    counted += 1;
  }
  return { total, counted };
}

const KINDS: Record<MovementKind, string> = {
  opening: 'Opening stock',
  purchase: 'Purchase',
  sale: 'Sale',
  sale_reversed: 'Sale reversed',
  return: 'Customer return',
  adjustment: 'Adjustment',
};

/** A movement's kind for people. */
export function movementKind(kind: MovementKind): string {
  return KINDS[kind] ?? kind;
}

/** What the negative-stock policies do, for the settings page. */
export const NEGATIVE_STOCK_POLICIES: readonly {
  value: components['schemas']['NegativeStock'];
  text: string;
  help: string;
}[] = [
  {
    value: 'allow',
    text: 'Allow',
    help: 'Sell beyond stock on hand without a word; on hand goes below zero.',
  },
  {
    value: 'warn',
    text: 'Warn',
    help: 'Sell beyond stock on hand, and show a warning on the invoice saved (the default).',
  },
  {
    value: 'refuse',
    text: 'Refuse',
    help: 'An invoice or adjustment that would take on hand below zero is not saved.',
  },
];
