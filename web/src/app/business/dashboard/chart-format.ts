import { rupees } from '../../core/format';

/**
 * Short amounts for chart axes, the Indian way: `₹1.5 Cr`, `₹12.3 L`,
 * `₹45K`, `₹900` (from paise). Full amounts go in tooltips and tables.
 */
export function shortRupees(paise: number): string {
  const r = paise / 100;
  const sign = r < 0 ? '-' : '';
  const a = Math.abs(r);
  const trim = (n: number) => (Math.round(n * 10) / 10).toString();
  if (a >= 1e7) return `${sign}₹${trim(a / 1e7)} Cr`;
  if (a >= 1e5) return `${sign}₹${trim(a / 1e5)} L`;
  if (a >= 1e3) return `${sign}₹${trim(a / 1e3)}K`;
  return `${sign}₹${Math.round(a)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A sales point's period for an axis: `2026-11-05` → `5 Nov`, `2026-11` → `Nov 2026`. */
export function periodLabel(period: string): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(period);
  if (day) return `${Number(day[3])} ${MONTHS[Number(day[2]) - 1]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) return `${MONTHS[Number(month[2]) - 1]} ${month[1]}`;
  return period;
}

/** A tooltip line: `Invoiced: ₹12,345.00`. */
export function tooltipLine(dataset: string | undefined, rupeesValue: number): string {
  return `${dataset ?? ''}: ${rupees(Math.round(rupeesValue * 100))}`;
}
