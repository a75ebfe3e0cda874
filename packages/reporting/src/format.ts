import type { ComparisonReport, Verdict } from '@ballast/schema';

/** Fixed decimals, without the "-0.000" that toFixed prints for tiny negatives. */
export function formatNumber(x: number, digits = 3): string {
  const s = x.toFixed(digits);
  return Number(s) === 0 ? (0).toFixed(digits) : s;
}

/** Like formatNumber, with an explicit sign on positives: for differences. */
export function formatSigned(x: number, digits = 3): string {
  const s = formatNumber(x, digits);
  return s.startsWith('-') || Number(s) === 0 ? s : `+${s}`;
}

export function formatInterval(low: number, high: number, digits = 3): string {
  return `[${formatSigned(low, digits)}, ${formatSigned(high, digits)}]`;
}

export const VERDICT_LABEL: Record<Verdict, string> = {
  improved: 'improved',
  no_change: 'no change',
  regressed: 'regressed',
};

/** The report's headline claim; both renderers use it so that they can never disagree. */
export function headline(cmp: ComparisonReport): string {
  return `${cmp.totals.improved} of ${cmp.totals.total} benchmarks improved (95% CI above zero, unadjusted)`;
}

export function comparisonTitle(cmp: ComparisonReport): string {
  return `${cmp.treatment} vs ${cmp.control}`;
}

export const SIMULATED_WARNING =
  'SIMULATED: these numbers come from the simulated reference workload, not from real training or real benchmarks. Do not cite them as findings.';
