// The number formats of the HTML report, in one place so that a number reads the same in the forest plot,
// the tables and the headline. A missing number (null: the data could not give it) is always "—".

export const MISSING = '—';

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** Fixed decimals, without the "-0.000" that toFixed prints for tiny negatives. */
export function fixed(x: number | null | undefined, digits = 3): string {
  if (!finite(x)) return MISSING;
  const s = x.toFixed(digits);
  return Number(s) === 0 ? (0).toFixed(digits) : s;
}

/**
 * A signed difference that never reads as zero, or as the wrong sign, when it is not: `digits` decimals, or
 * two significant figures where those would round it to zero. Verdicts hinge on the sign of a CI bound.
 */
export function signed(x: number | null | undefined, digits = 3): string {
  if (!finite(x)) return MISSING;
  const s = fixed(x, digits);
  if (x !== 0 && Number(s) === 0) return x > 0 ? `+${x.toPrecision(2)}` : x.toPrecision(2);
  return s.startsWith('-') || Number(s) === 0 ? s : `+${s}`;
}

/** `[low, high]` with signed bounds, or "—" when either bound is missing. */
export function interval(low: number | null | undefined, high: number | null | undefined, digits = 3): string {
  if (!finite(low) || !finite(high)) return MISSING;
  return `[${signed(low, digits)}, ${signed(high, digits)}]`;
}

/** An unsigned interval, e.g. of a share: `[0.31, 0.72]`. */
export function plainInterval(low: number | null | undefined, high: number | null | undefined, digits = 2): string {
  if (!finite(low) || !finite(high)) return MISSING;
  return `[${fixed(low, digits)}, ${fixed(high, digits)}]`;
}

/** A p-value: three decimals, or two significant figures in exponent form below 0.001. */
export function pValue(p: number | null | undefined): string {
  if (!finite(p)) return MISSING;
  if (p !== 0 && p < 0.001) return p.toExponential(1);
  return p.toFixed(3);
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

/** A confidence level as a label: 0.95 → "95%", 0.975 → "97.5%". */
export function confidenceLabel(confidence: number): string {
  return `${Number((confidence * 100).toFixed(1))}%`;
}
