import type { BenchmarkVerdict, ComparisonReport, DoseResponseReport, NonInferiorityResult, PersistenceVerdict, RandomEffects, ReusedFrom } from '@ballast/schema';

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

/** A confidence interval whose printed bounds always agree with the verdict drawn from the exact ones; "—" when there is none. */
export function formatInterval(low: number | null, high: number | null, digits = 3): string {
  if (low === null || high === null) return '—';
  return `[${formatDifference(low, digits)}, ${formatDifference(high, digits)}]`;
}

/** A confidence level as a label: 0.95 → "95%", 0.975 → "97.5%". */
export function confidenceLabel(confidence: number): string {
  return `${Number((confidence * 100).toFixed(1))}%`;
}

/** A number or "—" for a statistic the data could not give. */
export function formatOptional(x: number | null, digits = 3): string {
  return x === null ? '—' : formatNumber(x, digits);
}

/** A p-value: three significant figures, "<0.0001" below that. */
export function formatP(p: number | null): string {
  if (p === null) return '—';
  return p < 0.0001 ? '<0.0001' : p.toPrecision(2);
}

export const VERDICT_LABEL: Record<BenchmarkVerdict, string> = {
  improved: 'improved',
  no_change: 'no change',
  regressed: 'regressed',
  insufficient_data: 'insufficient data',
};

export const NI_LABEL: Record<NonInferiorityResult['verdict'], string> = {
  non_inferior: 'non-inferior',
  inferior: 'inferior',
  inconclusive: 'inconclusive',
  insufficient_data: 'insufficient data',
};

/**
 * The report's headline claim: the Holm-adjusted count in the declared family, BH and unadjusted beside.
 * Every renderer uses it so that they can never disagree.
 */
export function headline(cmp: ComparisonReport): string {
  const h = cmp.headline;
  const pair = (c: { improved: number; regressed: number }) => `${c.improved} improved, ${c.regressed} regressed`;
  const insufficient = h.holm.insufficient > 0 ? `; ${h.holm.insufficient} with insufficient data` : '';
  return (
    `${h.holm.improved} of ${h.family} benchmarks improved and ${h.holm.regressed} regressed (Holm-adjusted, family-wise α = ${h.alpha}); ` +
    `BH: ${pair(h.bh)}; unadjusted: ${pair(h.unadjusted)}${insufficient}`
  );
}

/** The random-effects summary in one line, or why there is none. */
export function randomEffectsLine(re: RandomEffects, confidence: number): string {
  if (re.kind === 'insufficient_data') return `random-effects summary: insufficient data (${re.detail})`;
  return (
    `random-effects mean standardised effect (d_z) ${formatSigned(re.mean)} ${formatInterval(re.ciLow, re.ciHigh)} ` +
    `(${confidenceLabel(confidence)} ${re.interval === 'hartung-knapp' ? 'Hartung–Knapp' : 'normal'} interval), τ² = ${formatNumber(re.tau2, 4)}, I² = ${Math.round(re.i2 * 100)}%, k = ${re.k}`
  );
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

/** A trait share as a percentage: 0.05 → "5%", 0.025 → "2.5%". */
export function fractionLabel(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}

export const PERSISTENCE_LABEL: Record<PersistenceVerdict, string> = {
  improved: 'improved',
  unchanged: 'unchanged',
  worse: 'worse',
  insufficient_data: 'insufficient data',
};

/** The dose–response headline, in the words every renderer uses. */
export function doseHeadline(section: DoseResponseReport): string {
  const h = section.headline;
  const pair = (c: { improved: number; regressed: number }) => `${c.improved} rising, ${c.regressed} falling`;
  const insufficient = h.holm.insufficient > 0 ? `; ${h.holm.insufficient} with insufficient data` : '';
  return (
    `${h.holm.improved} of ${h.family} benchmarks rise with the trait fraction and ${h.holm.regressed} fall (Holm-adjusted, family-wise α = ${h.alpha}); ` +
    `BH: ${pair(h.bh)}; unadjusted: ${pair(h.unadjusted)}${insufficient}`
  );
}

/** The pooled standardised trend in one line, or why there is none. */
export function pooledTrendLine(re: RandomEffects, confidence: number): string {
  if (re.kind === 'insufficient_data') return `pooled standardised trend: insufficient data (${re.detail})`;
  return (
    `random-effects pooled standardised trend ${formatSigned(re.mean)} ${formatInterval(re.ciLow, re.ciHigh)} ` +
    `(slope ÷ SD of the per-item trend; ${confidenceLabel(confidence)} ${re.interval === 'hartung-knapp' ? 'Hartung–Knapp' : 'normal'} interval), τ² = ${formatNumber(re.tau2, 4)}, I² = ${Math.round(re.i2 * 100)}%, k = ${re.k}`
  );
}

/** Where a reused run came from, in words. */
export function reuseLine(run: string, from: ReusedFrom): string {
  return `${run} reused from experiment ${from.experimentName} (${from.experimentId}), run ${from.run}`;
}
