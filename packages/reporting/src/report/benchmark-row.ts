import type { BenchmarkComparison, BenchmarkInfo, DomainRelation } from '@ballast/schema';
import { BenchmarkMismatchError } from '../errors.js';
import { benchmarkEstimate, type BenchmarkEstimate, type SeedPair } from '../statistics/benchmark-estimate.js';
import { nonInferiority } from '../statistics/non-inferiority.js';
import { pairedStandardisedEffect } from '../statistics/random-effects.js';
import { intervalCovers } from '../statistics/replicates.js';
import type { AnalysisInput, BenchmarkResults } from './input.js';

/** Fixed so that a report recomputed from the same results is the same report. */
const BOOTSTRAP = { resamples: 2000, seed: 20_240_501 } as const;

/** One benchmark's results on the paired runs of a comparison, treatment first. */
export interface PairedResults {
  readonly treatment: readonly BenchmarkResults[];
  readonly control: readonly BenchmarkResults[];
}

/** The estimate of one benchmark on paired runs: replicates make the seed the unit when the spec declared them. */
export function estimateFor(paired: PairedResults, seedsPerArm: number, analysis: AnalysisInput, samplesPerItem: number | null): BenchmarkEstimate {
  const info = checkedInfo(paired);
  const seedPairs: SeedPair[] = paired.treatment.map((t, k) => ({ treatment: t.items, control: (paired.control[k] as BenchmarkResults).items }));
  return benchmarkEstimate({
    direction: info.direction,
    seedPairs,
    samplesPerItem,
    unit: seedsPerArm >= 2 ? 'seeds' : 'items',
    confidence: 1 - analysis.alpha,
    ...(analysis.interval === 'hierarchical-bootstrap' ? { bootstrap: { ...BOOTSTRAP, confidence: 1 - analysis.alpha } } : {}),
  });
}

/** A benchmark row before the family's adjustment: the unadjusted estimate, its standardised effect and NI verdict. */
export function benchmarkRow(
  ref: string,
  paired: PairedResults,
  context: { readonly seedsPerArm: number; readonly analysis: AnalysisInput; readonly samplesPerItem: number | null; readonly trainedDomains: readonly string[] },
): BenchmarkComparison {
  const info = checkedInfo(paired);
  const estimate = estimateFor(paired, context.seedsPerArm, context.analysis, context.samplesPerItem);
  const standardised =
    estimate.delta === null || estimate.sdOfDifferences === null || estimate.se === null
      ? null
      : pairedStandardisedEffect({ delta: estimate.delta, sdOfDifferences: estimate.sdOfDifferences, items: estimate.items, se: estimate.se });
  const margin = marginFor(ref, info, context.analysis);
  const inFamily = context.analysis.headlineBenchmarks.includes(ref);
  return {
    ...describe(ref, info, context.trainedDomains),
    treatmentMean: meanOfRuns(paired.treatment),
    controlMean: meanOfRuns(paired.control),
    delta: estimate.delta,
    se: estimate.se,
    df: estimate.df,
    ciLow: estimate.ciLow,
    ciHigh: estimate.ciHigh,
    pValue: estimate.pValue,
    items: estimate.items,
    clusters: estimate.clusters,
    samplesPerItem: estimate.samplesPerItem,
    seeds: estimate.seeds,
    covers: estimate.covers,
    method: estimate.method,
    verdict: estimate.verdict,
    insufficientReason: estimate.insufficientReason,
    insufficientDetail: estimate.insufficientDetail,
    standardisedEffect: standardised?.effect ?? null,
    standardisedVariance: standardised?.variance ?? null,
    inHeadlineFamily: inFamily,
    pHolm: null,
    pBH: null,
    // Outside the family there is nothing to adjust for: the adjusted verdicts are the unadjusted one.
    holmVerdict: estimate.verdict,
    bhVerdict: estimate.verdict,
    nonInferiority: margin === null ? null : nonInferiority(estimate, margin, context.analysis.alpha / 2),
  };
}

/** A benchmark some paired run has no results for: insufficient data, naming the runs (an evaluation that failed). */
export function notEvaluatedRow(
  ref: string,
  info: BenchmarkInfo,
  lacking: readonly string[],
  context: { readonly seedsPerArm: number; readonly analysis: AnalysisInput; readonly samplesPerItem: number | null; readonly trainedDomains: readonly string[] },
): BenchmarkComparison {
  const margin = marginFor(ref, info, context.analysis);
  return {
    ...describe(ref, info, context.trainedDomains),
    treatmentMean: null,
    controlMean: null,
    delta: null,
    se: null,
    df: null,
    ciLow: null,
    ciHigh: null,
    pValue: null,
    items: 0,
    clusters: null,
    samplesPerItem: context.samplesPerItem,
    seeds: 0,
    covers: intervalCovers(context.seedsPerArm),
    method: null,
    verdict: 'insufficient_data',
    insufficientReason: 'not_evaluated',
    insufficientDetail: `no results from ${lacking.join(', ')}`,
    standardisedEffect: null,
    standardisedVariance: null,
    inHeadlineFamily: context.analysis.headlineBenchmarks.includes(ref),
    pHolm: null,
    pBH: null,
    holmVerdict: 'insufficient_data',
    bhVerdict: 'insufficient_data',
    nonInferiority: margin === null ? null : { margin, alpha: context.analysis.alpha / 2, lower: null, upper: null, verdict: 'insufficient_data' },
  };
}

/** What a row says about the benchmark itself, and where it sits relative to the treatment's trained domains. */
function describe(ref: string, info: BenchmarkInfo, trainedDomains: readonly string[]) {
  return {
    benchmark: ref,
    category: info.category,
    metric: info.metric,
    direction: info.direction,
    domains: [...info.domains],
    domainRelation: domainRelation(info.domains, trainedDomains),
  };
}

/** In-domain when one of the benchmark's domains is in the treatment arm's trait data; general when it has none. */
export function domainRelation(domains: readonly string[], trained: readonly string[]): DomainRelation {
  if (domains.length === 0) return 'general';
  return domains.some((d) => trained.includes(d)) ? 'in_domain' : 'out_of_domain';
}

function marginFor(ref: string, info: BenchmarkInfo, analysis: AnalysisInput): number | null {
  const margins = analysis.nonInferiorityMargins;
  if (Object.hasOwn(margins, ref)) return margins[ref] ?? null;
  if (Object.hasOwn(margins, info.category)) return margins[info.category] ?? null;
  return null;
}

function meanOfRuns(runs: readonly BenchmarkResults[]): number | null {
  const means = runs.filter((r) => r.items.length > 0).map((r) => r.items.reduce((s, it) => s + it.score, 0) / r.items.length);
  return means.length === 0 ? null : means.reduce((a, b) => a + b, 0) / means.length;
}

/** Every run must describe the benchmark the same way: a changed direction or metric is not one benchmark. */
function checkedInfo(paired: PairedResults): BenchmarkInfo {
  return consistentInfo([...paired.treatment, ...paired.control]);
}

/** The description every one of these results gives of the benchmark; throws when two differ. */
export function consistentInfo(all: readonly BenchmarkResults[]): BenchmarkInfo {
  const first = all[0]?.info;
  if (first === undefined) throw new BenchmarkMismatchError('(none)', 'presence');
  for (const r of all) {
    for (const field of ['id', 'version', 'category', 'metric', 'direction'] as const) {
      if (r.info[field] !== first[field]) throw new BenchmarkMismatchError(`${first.id}@${first.version}`, field);
    }
  }
  return first;
}
