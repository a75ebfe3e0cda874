// The number formats of the HTML report, in one place so that a number reads the same in the forest plot,
// the tables and the headline. A missing number (null: the data could not give it) is always "—".

import { confidenceLabel, formatDifference, formatInterval, formatNumber, formatP } from '../format.js';

export const MISSING = '—';

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** Fixed decimals, without the "-0.000" that toFixed prints for tiny negatives (the report's `formatNumber`). */
export function fixed(x: number | null | undefined, digits = 3): string {
  return finite(x) ? formatNumber(x, digits) : MISSING;
}

/** A signed difference that never reads as zero, or as the wrong sign, when it is not (the report's `formatDifference`). */
export function signed(x: number | null | undefined, digits = 3): string {
  return finite(x) ? formatDifference(x, digits) : MISSING;
}

/** `[low, high]` with signed bounds, or "—" when either bound is missing (the report's `formatInterval`). */
export function interval(low: number | null | undefined, high: number | null | undefined, digits = 3): string {
  return finite(low) && finite(high) ? formatInterval(low, high, digits) : MISSING;
}

/** An unsigned interval, e.g. of a share: `[0.31, 0.72]`. */
export function plainInterval(low: number | null | undefined, high: number | null | undefined, digits = 2): string {
  if (!finite(low) || !finite(high)) return MISSING;
  return `[${fixed(low, digits)}, ${fixed(high, digits)}]`;
}

/** A p-value, as every rendering prints it (the report's `formatP`). */
export function pValue(p: number | null | undefined): string {
  return finite(p) ? formatP(p) : MISSING;
}

/** An integer with thousands separators (12,800), independent of the machine's locale. */
export function count(n: number | null | undefined): string {
  if (!finite(n)) return MISSING;
  const [whole, fraction] = String(Math.round(n * 1000) / 1000).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** A share as a whole percentage: 0.344 → "34%". */
export function percent(x: number | null | undefined): string {
  if (!finite(x)) return MISSING;
  return `${Math.round(x * 100)}%`;
}

/** A confidence level as a label: 0.95 → "95%", 0.975 → "97.5%" (the report's own). */
export { confidenceLabel };
