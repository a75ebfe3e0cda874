import type { BenchmarkVerdict, EstimateMethod, EvalItemResult } from '@ballast/schema';
import { InvalidArgumentError, TooFewItemsError } from '../errors.js';
import { CONFIDENCE, type Direction, type PairedDifference, pairedDifference } from '../paired-difference.js';
import { tQuantile } from '../student-t.js';
import { verdictFor } from '../verdict.js';
import { checkConfidence } from './bootstrap.js';
import { type InsufficientReason, isEffectivelyZeroSe } from './insufficient.js';
import { itemDifferences, sdOfDifferences, type ItemDifferences } from './item-differences.js';
import { tTestPValue } from './p-values.js';
import { type HierarchicalBootstrapOptions, type IntervalCovers, intervalCovers, replicateInterval } from './replicates.js';

/** A benchmark's verdict: the interval's, or 'insufficient_data' when there is no honest interval. */
export type { BenchmarkVerdict };

/** How the interval was made: item-level t (CR2 when clustered), seed-level t, or the hierarchical bootstrap. */
export type { EstimateMethod };

/** Treatment seed s and control seed s, evaluated on the same items. */
export interface SeedPair {
  readonly treatment: readonly EvalItemResult[];
  readonly control: readonly EvalItemResult[];
}

export interface BenchmarkEstimateInput {
  readonly direction: Direction;
  /** One entry per seed pair; a single entry is the one-seed-per-arm comparison. */
  readonly seedPairs: readonly SeedPair[];
  /** Samples scored per item, as the eval reported it; stored, not used in the arithmetic. */
  readonly samplesPerItem?: number | null;
  /**
   * The unit of replication. Defaults to 'seeds' with two or more seed pairs, else 'items'. Declare
   * 'seeds' when the spec promised replicates, so that a comparison left with one seed pair says
   * "insufficient data" instead of quietly narrowing to an items-only interval.
   */
  readonly unit?: 'items' | 'seeds';
  /** Ask for the hierarchical bootstrap; honoured from 10 seed pairs, else the seed-level t interval. */
  readonly bootstrap?: HierarchicalBootstrapOptions;
  readonly confidence?: number;
}

/**
 * Everything a report needs to show, and later re-adjust, one benchmark comparison. Estimates are null
 * where the data could not give them; a point estimate with no interval keeps its `delta`.
 */
export interface BenchmarkEstimate {
  /** Mean paired difference, oriented so that positive is better (mean of Δ_s with seeds). */
  readonly delta: number | null;
  readonly se: number | null;
  readonly df: number | null;
  /** Paired items (per seed pair; the smallest when seed pairs differ). */
  readonly items: number;
  /** Clusters when any item carries one (smallest across seed pairs), else null. */
  readonly clusters: number | null;
  readonly samplesPerItem: number | null;
  /** Seed pairs compared. */
  readonly seeds: number;
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  /** Two-sided, unadjusted; null when there is no interval. Adjust across the family with Holm / BH. */
  readonly pValue: number | null;
  readonly covers: IntervalCovers;
  readonly method: EstimateMethod | null;
  /** SD of the per-item paired differences (root-mean-square over seed pairs): the d_z denominator. */
  readonly sdOfDifferences: number | null;
  /** Unadjusted, from the interval: 'improved' only when it lies strictly above zero. */
  readonly verdict: BenchmarkVerdict;
  readonly insufficientReason: InsufficientReason | null;
  readonly insufficientDetail: string | null;
}

/**
 * Turns one benchmark's paired results into its estimate, interval, p-value and verdict.
 *
 * One seed pair: `pairedDifference` (t interval on n − 1 df, or CR2 cluster-robust with Bell–McCaffrey df).
 * Several: the seed is the unit (`replicateInterval`). Either way, fewer than 2 items, clusters or
 * (when seeds are the unit) seeds, or no variance, give 'insufficient_data' with a reason instead of
 * an exception or a point interval: a point interval is not evidence, and one thin benchmark must
 * not abort the report. Malformed inputs (items that do not pair, duplicates) still throw: they are
 * bugs upstream, not sparse data.
 */
export function benchmarkEstimate(input: BenchmarkEstimateInput): BenchmarkEstimate {
  const seeds = input.seedPairs.length;
  const unit = input.unit ?? (seeds >= 2 ? 'seeds' : 'items');
  const confidence = input.confidence ?? CONFIDENCE;
  checkConfidence(confidence);
  if (unit === 'items' && seeds > 1) {
    throw new InvalidArgumentError(`unit 'items' takes one seed pair, got ${seeds}; several seeds make the seed the unit`);
  }
  const base = {
    samplesPerItem: input.samplesPerItem ?? null,
    seeds,
    covers: intervalCovers(seeds),
  };
  const refuse = (reason: InsufficientReason, detail: string, known: Partial<BenchmarkEstimate> = {}): BenchmarkEstimate => ({
    delta: null,
    se: null,
    df: null,
    items: 0,
    clusters: null,
    ciLow: null,
    ciHigh: null,
    pValue: null,
    method: null,
    sdOfDifferences: null,
    ...base,
    ...known,
    verdict: 'insufficient_data',
    insufficientReason: reason,
    insufficientDetail: detail,
  });
  if (seeds === 0) return refuse('too_few_seeds', 'no results to compare');
  if (unit === 'seeds' && seeds < 2) {
    return refuse('too_few_seeds', `${seeds} seed pair; seeds are the unit of replication, which needs at least 2`);
  }

  // Per seed pair: the item-level comparison, or the reason it cannot be made.
  const perSeed: { readonly paired: PairedDifference; readonly items: ItemDifferences }[] = [];
  for (const pair of input.seedPairs) {
    let paired: PairedDifference;
    try {
      paired = pairedDifference(pair.treatment, pair.control, input.direction);
    } catch (error) {
      if (!(error instanceof TooFewItemsError)) throw error;
      return error.unit === 'items'
        ? refuse('too_few_items', `${error.units} paired item(s); an interval needs at least 2`, { items: error.units })
        : refuse('too_few_clusters', `${error.units} cluster(s); a cluster-robust interval needs at least 2`, {
            items: pair.treatment.length,
            clusters: error.units,
          });
    }
    perSeed.push({ paired, items: itemDifferences(pair.treatment, pair.control, input.direction) });
  }

  const items = Math.min(...perSeed.map((s) => s.paired.n));
  const clustered = perSeed.some((s) => s.paired.clusters !== null);
  const clusters = clustered ? Math.min(...perSeed.map((s) => s.paired.clusters ?? s.paired.n)) : null;
  const sd = Math.sqrt(perSeed.reduce((acc, s) => acc + sdOfDifferences(s.items.differences) ** 2, 0) / seeds);
  const known = { items, clusters, sdOfDifferences: sd };

  if (unit === 'items') {
    const only = perSeed[0] as (typeof perSeed)[number];
    const { delta, stderr: se, df } = only.paired;
    const scale = only.items.differences.reduce((m, d) => Math.max(m, Math.abs(d)), 0);
    if (isEffectivelyZeroSe(se, scale)) {
      const why = sd === 0 ? `all ${items} paired differences are equal` : 'the cluster-robust standard error is zero';
      return refuse('no_variance', `${why}; a point interval cannot support a verdict`, { ...known, delta, se: 0, df });
    }
    // pairedDifference's interval is fixed at 95%; rebuilt here so that `confidence` is honoured.
    const half = tQuantile(1 - (1 - confidence) / 2, df) * se;
    const ciLow = delta - half;
    const ciHigh = delta + half;
    return {
      ...base,
      ...known,
      delta,
      se,
      df,
      ciLow,
      ciHigh,
      pValue: tTestPValue(delta, se, df),
      method: clustered ? 'item-cr2-t' : 'item-t',
      verdict: verdictFor(ciLow, ciHigh),
      insufficientReason: null,
      insufficientDetail: null,
    };
  }

  const interval = replicateInterval(
    perSeed.map((s) => s.items),
    { bootstrap: input.bootstrap, confidence },
  );
  if (interval.kind === 'insufficient_data') {
    const delta = perSeed.reduce((acc, s) => acc + s.paired.delta, 0) / seeds;
    return refuse(interval.reason, interval.detail, { ...known, delta, se: 0, df: seeds - 1 });
  }
  return {
    ...base,
    ...known,
    delta: interval.delta,
    se: interval.se,
    df: interval.df,
    ciLow: interval.ciLow,
    ciHigh: interval.ciHigh,
    pValue: interval.pValue,
    method: interval.method,
    verdict: verdictFor(interval.ciLow, interval.ciHigh),
    insufficientReason: null,
    insufficientDetail: null,
  };
}
