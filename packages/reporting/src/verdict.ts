import type { Verdict } from '@ballast/schema';

/**
 * 'improved' when the 95% CI lies entirely above zero, 'regressed' when entirely below, otherwise
 * 'no_change'. Unadjusted: across ~50 benchmarks a few verdicts will be wrong by chance alone; the
 * Holm / Benjamini–Hochberg treatment of BRIEF §7 is not applied yet, and reports say so.
 */
export function verdictFor(ciLow: number, ciHigh: number): Verdict {
  if (ciLow > 0) return 'improved';
  if (ciHigh < 0) return 'regressed';
  return 'no_change';
}
