import type { IntervalCoverage } from '@ballast/schema';
import { InvalidArgumentError } from '../errors.js';
import { CONFIDENCE } from '../paired-difference.js';
import { tQuantile } from '../student-t.js';
import { checkConfidence, checkResamples, summarise } from './bootstrap.js';
import { insufficientData, type InsufficientData, isEffectivelyZeroSe } from './insufficient.js';
import type { ItemDifferences } from './item-differences.js';
import { tTestPValue } from './p-values.js';
import { Rng } from './rng.js';

/**
 * The training seed as the unit of replication. Two arms trained with the same recipe and different
 * seeds differ by more than item sampling explains (on the reference workload the spread of per-seed
 * Δ is 1.34× the item-level SE), so an interval from one seed per arm covers item sampling only.
 * With several seeds per arm, treatment seed s is paired with control seed s on the same items, and
 * the per-seed differences Δ_s are the replicates.
 */

/** What an interval's width accounts for; the report prints it beside every interval. */
export const IntervalCovers = { items: 'items', seedsAndItems: 'seeds-and-items' } as const satisfies Record<string, IntervalCoverage>;
export type IntervalCovers = (typeof IntervalCovers)[keyof typeof IntervalCovers];

/** The hierarchical bootstrap is used from this many seeds; below it, the seed-level t interval. */
export const HIERARCHICAL_BOOTSTRAP_MIN_SEEDS = 10;

/**
 * 'items' with one seed per arm (the interval is silent about training noise), 'seeds-and-items'
 * with two or more seed pairs (each Δ_s already carries its items' sampling noise).
 */
export function intervalCovers(seedsPerArm: number): IntervalCovers {
  if (!Number.isInteger(seedsPerArm) || seedsPerArm < 0) {
    throw new InvalidArgumentError(`seeds per arm must be a non-negative integer, got ${seedsPerArm}`);
  }
  return seedsPerArm >= 2 ? IntervalCovers.seedsAndItems : IntervalCovers.items;
}

export type ReplicateMethod = 'seed-t' | 'hierarchical-bootstrap';

export interface ReplicateInterval {
  readonly kind: 'interval';
  readonly method: ReplicateMethod;
  /** Mean of the per-seed paired differences Δ_s. */
  readonly delta: number;
  readonly se: number;
  /** Seeds − 1. */
  readonly df: number;
  readonly seeds: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  /** Two-sided p-value for Δ = 0. */
  readonly pValue: number;
}

/**
 * The seed-level t interval: Δ̄ = mean of Δ_s, SE = sd(Δ_s)/√S, Δ̄ ± t_{1−α/2, S−1}·SE — the one-sample
 * t interval on the S replicates, so seed noise, item noise and their interaction all enter through
 * the spread of the Δ_s. Refuses below 2 seeds, and when every Δ_s is the same.
 *
 * The items are held fixed across seeds, so the interval is for the effect on these items; it omits
 * the item-to-item heterogeneity of the true effect, which only the hierarchical bootstrap resamples.
 */
export function seedLevelInterval(seedDeltas: readonly number[], confidence: number = CONFIDENCE): ReplicateInterval | InsufficientData {
  checkConfidence(confidence);
  const seeds = seedDeltas.length;
  if (seeds < 2) return insufficientData('too_few_seeds', `${seeds} seed pair(s); a seed-level interval needs at least 2`);
  let sum = 0;
  let scale = 0;
  for (const d of seedDeltas) {
    if (!Number.isFinite(d)) throw new InvalidArgumentError(`per-seed differences must be finite, got ${d}`);
    sum += d;
    scale = Math.max(scale, Math.abs(d));
  }
  const delta = sum / seeds;
  let ss = 0;
  for (const d of seedDeltas) ss += (d - delta) ** 2;
  const se = Math.sqrt(ss / (seeds - 1) / seeds);
  if (isEffectivelyZeroSe(se, scale)) return insufficientData('no_variance', `all ${seeds} per-seed differences are equal`);
  const df = seeds - 1;
  const half = tQuantile(1 - (1 - confidence) / 2, df) * se;
  return {
    kind: 'interval',
    method: 'seed-t',
    delta,
    se,
    df,
    seeds,
    ciLow: delta - half,
    ciHigh: delta + half,
    pValue: tTestPValue(delta, se, df) as number,
  };
}

export interface HierarchicalBootstrapOptions {
  readonly resamples: number;
  readonly seed: number;
  readonly confidence?: number;
}

/**
 * The two-stage (hierarchical) percentile bootstrap (Davison & Hinkley 1997, §3.8): resample the S
 * seed pairs with replacement, then within each drawn seed resample its clusters (items when there
 * are none) with replacement, and average the per-seed means. Resampling both levels puts the
 * item-level heterogeneity of the effect into the interval as well as the seed noise; it is somewhat
 * conservative, because the within-seed noise is counted at both stages.
 *
 * Below 10 seeds the bootstrap distribution over seeds is lumpy and its percentiles too narrow (no
 * t-quantile allowance for estimating the spread from few seeds), which is why `replicateInterval`
 * only uses it from `HIERARCHICAL_BOOTSTRAP_MIN_SEEDS`. The p-value is the percentile one,
 * min(1, 2·min(#{θ* ≤ 0} + 1, #{θ* ≥ 0} + 1)/(B + 1)), and df is reported as S − 1.
 */
export function hierarchicalBootstrap(
  seeds: readonly ItemDifferences[],
  options: HierarchicalBootstrapOptions,
): ReplicateInterval | InsufficientData {
  const confidence = options.confidence ?? CONFIDENCE;
  checkConfidence(confidence);
  checkResamples(options.resamples);
  const s = seeds.length;
  if (s < 2) return insufficientData('too_few_seeds', `${s} seed pair(s); a bootstrap over seeds needs at least 2`);

  // Per seed: its clusters' sums and sizes, laid end to end, so a resample reads only flat arrays.
  const offsets = new Int32Array(s + 1);
  seeds.forEach((seed, i) => (offsets[i + 1] = (offsets[i] as number) + seed.clusters));
  const sums = new Float64Array(offsets[s] as number);
  const sizes = new Float64Array(offsets[s] as number);
  const seedMeans = new Float64Array(s);
  seeds.forEach((seed, i) => {
    const offset = offsets[i] as number;
    let total = 0;
    for (let j = 0; j < seed.differences.length; j++) {
      const c = offset + (seed.clusterOf[j] as number);
      sums[c] = (sums[c] as number) + (seed.differences[j] as number);
      sizes[c] = (sizes[c] as number) + 1;
      total += seed.differences[j] as number;
    }
    seedMeans[i] = total / seed.differences.length;
  });
  const point = seedLevelInterval(Array.from(seedMeans), confidence);
  if (point.kind === 'insufficient_data') return point;

  const rng = new Rng(options.seed);
  const draws = new Float64Array(options.resamples);
  for (let b = 0; b < draws.length; b++) {
    let total = 0;
    for (let j = 0; j < s; j++) {
      const seed = rng.int(s);
      const offset = offsets[seed] as number;
      const clusters = (offsets[seed + 1] as number) - offset;
      let sum = 0;
      let size = 0;
      for (let k = 0; k < clusters; k++) {
        const c = offset + rng.int(clusters);
        sum += sums[c] as number;
        size += sizes[c] as number;
      }
      total += sum / size;
    }
    const draw = total / s;
    draws[b] = draw;
  }
  const interval = summarise(point.delta, draws, confidence);
  // The p-value reads the bootstrap SE on S − 1 df, not the share of draws beyond zero: a percentile
  // p-value cannot fall below 2/(B + 1), and Holm's first step across a family of m needs p < α/m
  // (0.00094 at m = 53), which a percentile p-value would reach only with B in the tens of thousands.
  const pValue = (tTestPValue(point.delta, interval.se, s - 1) as number | null) ?? 1;
  return { ...point, method: 'hierarchical-bootstrap', se: interval.se, ciLow: interval.ciLow, ciHigh: interval.ciHigh, pValue };
}

/**
 * The interval for S seed pairs: the seed-level t interval by default, the hierarchical bootstrap
 * only when it is asked for and there are at least 10 seeds.
 */
export function replicateInterval(
  seeds: readonly ItemDifferences[],
  options: { readonly bootstrap?: HierarchicalBootstrapOptions; readonly confidence?: number } = {},
): ReplicateInterval | InsufficientData {
  if (options.bootstrap !== undefined && seeds.length >= HIERARCHICAL_BOOTSTRAP_MIN_SEEDS) {
    return hierarchicalBootstrap(seeds, { ...options.bootstrap, confidence: options.bootstrap.confidence ?? options.confidence });
  }
  const deltas = seeds.map((seed) => {
    let total = 0;
    for (let j = 0; j < seed.differences.length; j++) total += seed.differences[j] as number;
    return total / seed.differences.length;
  });
  return seedLevelInterval(deltas, options.confidence);
}
