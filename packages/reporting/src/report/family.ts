import type { BenchmarkComparison, BenchmarkVerdict, Headline, IntervalCoverage, RandomEffects, VerdictCounts } from '@ballast/schema';
import { benjaminiHochbergAdjust, holmAdjust } from '../statistics/multiplicity.js';
import { derSimonianLaird } from '../statistics/random-effects.js';

/**
 * Adjusts the headline family's p-values (Holm for the family-wise error, BH for the false discovery
 * rate) and sets the adjusted verdicts. Benchmarks outside the family keep their unadjusted verdict.
 */
export function adjustFamily(rows: readonly BenchmarkComparison[], alpha: number): BenchmarkComparison[] {
  const family = rows.filter((r) => r.inHeadlineFamily);
  const holm = holmAdjust(family.map((r) => r.pValue));
  const bh = benjaminiHochbergAdjust(family.map((r) => r.pValue));
  const adjusted = new Map(family.map((r, i) => [r.benchmark, { pHolm: holm[i] ?? null, pBH: bh[i] ?? null }]));
  return rows.map((r) => {
    const a = adjusted.get(r.benchmark);
    if (a === undefined) return r;
    return { ...r, ...a, holmVerdict: adjustedVerdict(r, a.pHolm, alpha), bhVerdict: adjustedVerdict(r, a.pBH, alpha) };
  });
}

function adjustedVerdict(row: BenchmarkComparison, p: number | null, alpha: number): BenchmarkVerdict {
  if (row.verdict === 'insufficient_data' || p === null || row.delta === null) return 'insufficient_data';
  if (p >= alpha) return 'no_change';
  return row.delta > 0 ? 'improved' : 'regressed';
}

export function countVerdicts(verdicts: readonly BenchmarkVerdict[]): VerdictCounts {
  return {
    improved: verdicts.filter((v) => v === 'improved').length,
    noChange: verdicts.filter((v) => v === 'no_change').length,
    regressed: verdicts.filter((v) => v === 'regressed').length,
    insufficient: verdicts.filter((v) => v === 'insufficient_data').length,
    total: verdicts.length,
  };
}

/** The headline: the family's counts after Holm, with BH and unadjusted beside, and what the intervals cover. */
export function headlineOf(rows: readonly BenchmarkComparison[], declared: readonly string[], alpha: number, covers: IntervalCoverage, seeds: number): Headline {
  return { ...familyCounts(rows, declared, alpha), covers, coverageNote: coverageNote(covers, seeds) };
}

/** A row the family counts: a benchmark comparison or a dose–response trend. */
interface FamilyRow {
  readonly benchmark: string;
  readonly inHeadlineFamily: boolean;
  readonly verdict: BenchmarkVerdict;
  readonly holmVerdict: BenchmarkVerdict;
  readonly bhVerdict: BenchmarkVerdict;
}

/** The declared family's size and its Holm, BH and unadjusted verdict counts. */
export function familyCounts(rows: readonly FamilyRow[], declared: readonly string[], alpha: number) {
  const family = rows.filter((r) => r.inHeadlineFamily);
  // A declared benchmark with no row at all still belongs to the family: it counts, as insufficient data.
  const notEvaluated = declared.filter((ref) => !rows.some((r) => r.benchmark === ref));
  const missing = notEvaluated.map((): BenchmarkVerdict => 'insufficient_data');
  return {
    family: family.length + notEvaluated.length,
    notEvaluated,
    alpha,
    holm: countVerdicts([...family.map((r) => r.holmVerdict), ...missing]),
    bh: countVerdicts([...family.map((r) => r.bhVerdict), ...missing]),
    unadjusted: countVerdicts([...family.map((r) => r.verdict), ...missing]),
  };
}

export function coverageNote(covers: IntervalCoverage, seeds: number): string {
  return covers === 'items'
    ? 'one training seed per arm: intervals cover item sampling only, not seed-to-seed variation between training runs'
    : `${seeds} training seeds per arm: intervals treat the seed as the unit, so they cover seed-to-seed variation and item sampling`;
}

/**
 * DerSimonian–Laird random-effects summary of standardised effects (Hartung–Knapp interval), over the
 * rows that have one. Fewer than 2 gives its insufficient-data detail instead.
 */
export function pooledEffects(rows: readonly Pick<BenchmarkComparison, 'standardisedEffect' | 'standardisedVariance'>[], confidence: number): RandomEffects {
  const effects = rows.flatMap((r) =>
    r.standardisedEffect !== null && r.standardisedVariance !== null && r.standardisedVariance > 0 ? [{ effect: r.standardisedEffect, variance: r.standardisedVariance }] : [],
  );
  const summary = derSimonianLaird(effects, { confidence });
  if (summary.kind === 'insufficient_data') return { kind: 'insufficient_data', detail: summary.detail };
  const { kind, k, mean, se, df, tau2, i2, ciLow, ciHigh, pValue, interval } = summary;
  return { kind, k, mean, se, df, tau2, i2, ciLow, ciHigh, pValue, interval };
}
