import type { ComparisonReport, Report, Verdict } from '@ballast/schema';

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

/**
 * A signed difference that never reads as zero, or as the wrong sign, when it is not: `digits`
 * decimals, or two significant figures where those decimals would round it to zero (+0.00026, -7.0e-7).
 * Verdicts hinge on the sign of a CI bound, so a printed bound must carry that sign.
 */
export function formatDifference(x: number, digits = 3): string {
  const fixed = formatSigned(x, digits);
  if (x === 0 || Number(fixed) !== 0) return fixed;
  const precise = x.toPrecision(2);
  return x > 0 ? `+${precise}` : precise;
}

/** A confidence interval whose printed bounds always agree with the verdict drawn from the exact ones. */
export function formatInterval(low: number, high: number, digits = 3): string {
  return `[${formatDifference(low, digits)}, ${formatDifference(high, digits)}]`;
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

/** The banner of a report whose base model labels itself (a tiny random model proves plumbing, not science). */
export function modelWarning(label: string): string {
  return `MODEL: ${label}. Differences between arms say nothing about the traits.`;
}

export const SIMULATED_WARNING =
  'SIMULATED: these numbers come from the simulated reference workload, not from real training or real benchmarks. Do not cite them as findings.';

/** The training step of the checkpoint an arm was compared at, when the report records it. */
export function checkpointStepOf(report: Report, arm: string): number | undefined {
  return report.arms.find((a) => a.name === arm)?.checkpointStep;
}
