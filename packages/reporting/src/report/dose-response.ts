import type { BenchmarkVerdict, DoseFitPoint, DosePoint, DoseResponseArm, DoseResponseReport, DoseResponseRow } from '@ballast/schema';
import { InvalidArgumentError, UnknownArmError } from '../errors.js';
import { linearContrast, type LinearContrast, unestimated } from '../statistics/linear-contrast.js';
import { benjaminiHochbergAdjust, holmAdjust } from '../statistics/multiplicity.js';
import { pairedStandardisedEffect } from '../statistics/random-effects.js';
import { intervalCovers } from '../statistics/replicates.js';
import { verdictFor } from '../verdict.js';
import { consistentInfo, estimateFor } from './benchmark-row.js';
import { alignedReplicates, contrastEstimate } from './contrast.js';
import { familyCounts, pooledEffects } from './family.js';
import type { BenchmarkResults, ReportInput, RunResults } from './input.js';

/** Points of the fitted line's band between 0 and the largest fraction, besides the arms' own fractions. */
const FIT_GRID = 8;

/**
 * The dose–response section (docs/statistics.md, "Dose–response"): for every evaluated benchmark, the
 * least-squares slope of the oriented score in the trait fraction, per +1 percentage point, as a
 * linear contrast of the sweep arms' item means: per seed then a t interval over seeds with
 * replicates, per item with the clustered interval otherwise. Holm and BH across the headline family,
 * a random-effects pooled standardised trend, each arm's Δ against the control and the fitted line
 * with a pointwise band, for the plot. Undefined when the input declares no sweep.
 */
export function doseResponseReport(input: ReportInput): DoseResponseReport | undefined {
  if (input.doseResponse === undefined) return undefined;
  const arms = sweepArms(input);
  const runs = alignedReplicates(arms.map((a) => input.arms[a.arm]!));
  const seeds = runs[0]?.length ?? 0;
  const refs = [...new Set(runs.flat().flatMap((r) => Object.keys(r.results)))].sort();
  const alpha = input.analysis.alpha;
  const rows = adjust(
    refs.map((ref) => row(ref, arms, runs, input)),
    alpha,
  );
  const family = rows.filter((r) => r.inHeadlineFamily);
  return {
    control: input.doseResponse.control,
    arms,
    unit: 'per_percentage_point',
    seeds,
    covers: intervalCovers(input.seedsPerArm),
    headline: familyCounts(rows, input.analysis.headlineBenchmarks, alpha),
    randomEffects: pooledEffects(family, 1 - alpha),
    benchmarks: rows,
  };
}

/** The sweep, control first at 0, then by fraction; refuses a sweep that cannot define a trend. */
function sweepArms(input: ReportInput): DoseResponseArm[] {
  const sweep = input.doseResponse!;
  const known = Object.keys(input.arms);
  const listed = sweep.arms.filter((a) => a.arm !== sweep.control);
  for (const name of [sweep.control, ...listed.map((a) => a.arm)]) if (!Object.hasOwn(input.arms, name)) throw new UnknownArmError(name, known);
  const control = sweep.arms.find((a) => a.arm === sweep.control);
  if (control !== undefined && control.fraction !== 0) throw new InvalidArgumentError(`the sweep's control '${sweep.control}' must be at fraction 0, not ${control.fraction}`);
  const seen = new Set<string>();
  for (const a of listed) {
    if (!(a.fraction >= 0 && a.fraction <= 1)) throw new InvalidArgumentError(`arm '${a.arm}' has trait fraction ${a.fraction}; fractions are shares in [0, 1]`);
    if (seen.has(a.arm)) throw new InvalidArgumentError(`arm '${a.arm}' is listed twice in the sweep`);
    seen.add(a.arm);
  }
  if (!listed.some((a) => a.fraction > 0)) throw new InvalidArgumentError('a dose–response sweep needs an arm with a trait fraction above 0');
  return [{ arm: sweep.control, fraction: 0 }, ...[...listed].sort((a, b) => a.fraction - b.fraction || (a.arm < b.arm ? -1 : 1)).map((a) => ({ arm: a.arm, fraction: a.fraction }))];
}

/** Least-squares weights: the slope is Σ w_a ȳ_a; per +1 percentage point, so fractions are read in percent. */
function slopeWeights(fractions: readonly number[]): number[] {
  const pct = fractions.map((f) => 100 * f);
  const centre = pct.reduce((s, x) => s + x, 0) / pct.length;
  const sxx = pct.reduce((s, x) => s + (x - centre) ** 2, 0);
  return pct.map((x) => (x - centre) / sxx);
}

/** Weights of the fitted line at fraction f as Δ against the control: ŷ(f) − ȳ_control. They sum to 0. */
function fitWeights(fractions: readonly number[], f: number): number[] {
  const pct = fractions.map((x) => 100 * x);
  const centre = pct.reduce((s, x) => s + x, 0) / pct.length;
  const sxx = pct.reduce((s, x) => s + (x - centre) ** 2, 0);
  return pct.map((x, j) => 1 / pct.length + ((100 * f - centre) * (x - centre)) / sxx - (j === 0 ? 1 : 0));
}

function row(ref: string, arms: readonly DoseResponseArm[], runs: readonly RunResults[][], input: ReportInput): DoseResponseRow {
  const all = runs.flat();
  const present = all.filter((r) => Object.hasOwn(r.results, ref));
  const info = consistentInfo(present.map((r) => r.results[ref]!));
  const sign = info.direction === 'lower_is_better' ? -1 : 1;
  const unit = input.seedsPerArm >= 2 ? 'seeds' : 'items';
  const confidence = 1 - input.analysis.alpha;
  const seeds = runs[0]?.length ?? 0;
  const fractions = arms.map((a) => a.fraction);
  const lacking = all.filter((r) => !Object.hasOwn(r.results, ref)).map((r) => r.run);

  const contrast = (weights: readonly number[], testsZero: boolean): LinearContrast =>
    lacking.length > 0
      ? unestimated('not_evaluated', `no results from ${lacking.join(', ')}`, seeds, input.seedsPerArm)
      : linearContrast({
          unit,
          confidence,
          testsZero,
          replicates: Array.from({ length: seeds }, (_, k) => [{ sign, terms: runs.map((armRuns, j) => ({ weight: weights[j]!, items: armRuns[k]!.results[ref]!.items })) }]),
        });

  const slope = contrast(slopeWeights(fractions), true);
  const standardised =
    slope.insufficientReason === null && slope.estimate !== null && slope.se !== null && slope.sdOfContrast !== null
      ? pairedStandardisedEffect({ delta: slope.estimate, sdOfDifferences: slope.sdOfContrast, items: slope.items, se: slope.se })
      : null;
  const verdict: BenchmarkVerdict = slope.ciLow === null || slope.ciHigh === null || slope.insufficientReason !== null ? 'insufficient_data' : verdictFor(slope.ciLow, slope.ciHigh);
  const largest = Math.max(...fractions);
  const grid = [...new Set([...fractions, ...Array.from({ length: FIT_GRID + 1 }, (_, i) => (largest * i) / FIT_GRID)])].sort((a, b) => a - b);
  const fit: DoseFitPoint[] =
    lacking.length > 0
      ? []
      : grid.map((fraction) => {
          const c = contrast(fitWeights(fractions, fraction), false);
          return { fraction, value: c.estimate, ciLow: c.ciLow, ciHigh: c.ciHigh };
        });
  return {
    benchmark: ref,
    category: info.category,
    metric: info.metric,
    direction: info.direction,
    inHeadlineFamily: input.analysis.headlineBenchmarks.includes(ref),
    slope: contrastEstimate(slope),
    verdict,
    pHolm: null,
    pBH: null,
    holmVerdict: verdict,
    bhVerdict: verdict,
    standardisedEffect: standardised?.effect ?? null,
    standardisedVariance: standardised?.variance ?? null,
    points: arms.slice(1).map((a, i) => armPoint(ref, a, runs[i + 1]!, runs[0]!, input)),
    fit,
  };
}

/** One arm's mean oriented Δ against the control: the same paired comparison as a benchmark row's. */
function armPoint(ref: string, arm: DoseResponseArm, armRuns: readonly RunResults[], controlRuns: readonly RunResults[], input: ReportInput): DosePoint {
  const at = (r: RunResults): BenchmarkResults | undefined => (Object.hasOwn(r.results, ref) ? r.results[ref] : undefined);
  const t = armRuns.map(at);
  const c = controlRuns.map(at);
  if (t.length === 0 || t.some((x) => x === undefined) || c.some((x) => x === undefined)) {
    return { arm: arm.arm, fraction: arm.fraction, delta: null, ciLow: null, ciHigh: null, seeds: t.length, verdict: 'insufficient_data' };
  }
  const e = estimateFor({ treatment: t as BenchmarkResults[], control: c as BenchmarkResults[] }, input.seedsPerArm, input.analysis, input.samplesPerItem ?? null);
  return { arm: arm.arm, fraction: arm.fraction, delta: e.delta, ciLow: e.ciLow, ciHigh: e.ciHigh, seeds: e.seeds, verdict: e.verdict };
}

/** Holm and BH across the headline family's slopes; outside it the adjusted verdicts are the unadjusted one. */
function adjust(rows: readonly DoseResponseRow[], alpha: number): DoseResponseRow[] {
  const family = rows.filter((r) => r.inHeadlineFamily);
  const holm = holmAdjust(family.map((r) => r.slope.pValue));
  const bh = benjaminiHochbergAdjust(family.map((r) => r.slope.pValue));
  const adjusted = new Map(family.map((r, i) => [r.benchmark, { pHolm: holm[i] ?? null, pBH: bh[i] ?? null }]));
  const verdictAt = (r: DoseResponseRow, p: number | null): BenchmarkVerdict => {
    if (r.verdict === 'insufficient_data' || p === null || r.slope.estimate === null) return 'insufficient_data';
    if (p >= alpha) return 'no_change';
    return r.slope.estimate > 0 ? 'improved' : 'regressed';
  };
  return rows.map((r) => {
    const a = adjusted.get(r.benchmark);
    return a === undefined ? r : { ...r, ...a, holmVerdict: verdictAt(r, a.pHolm), bhVerdict: verdictAt(r, a.pBH) };
  });
}
