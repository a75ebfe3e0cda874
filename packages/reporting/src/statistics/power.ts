import { InvalidArgumentError } from '../errors.js';
import { normalQuantile } from '../normal.js';
import { logGamma } from '../special-functions.js';
import { tQuantile } from '../student-t.js';
import { normalCdf } from './normal-cdf.js';
import { type IntervalCovers, intervalCovers } from './replicates.js';

/**
 * Power planning for `ballast plan`: how small an effect an evaluation design can detect, and how
 * likely it is to call a given effect "improved". All in the positive-is-better orientation, for the
 * two-sided level-α test that the report's intervals invert.
 */

const quantile = (p: number, df: number): number => (df === Infinity ? normalQuantile(p) : tQuantile(p, df));

function checkLevels(alpha: number, power: number): void {
  if (!(alpha > 0 && alpha < 1)) throw new InvalidArgumentError(`α must lie in (0, 1), got ${alpha}`);
  if (!(power > 0 && power < 1)) throw new InvalidArgumentError(`power must lie in (0, 1), got ${power}`);
}

/**
 * The minimum detectable effect MDE = (t_{1−α/2, df} + t_{1−β, df})·SE (Bloom 1995, "Minimum detectable
 * effects"): the true effect that a two-sided level-α test detects with probability about 1 − β. With
 * df = Infinity it is the normal form (z_{1−α/2} + z_{1−β})·SE, 2.80·SE at α = 0.05 and 80% power.
 * The t form is the usual approximation to the noncentral t (see `probabilityOfImproved` for the
 * exact power); it errs by under a percentage point of power from about 20 df.
 */
export function minimumDetectableEffect(args: { readonly se: number; readonly df?: number; readonly alpha?: number; readonly power?: number }): number {
  const { se, df = Infinity, alpha = 0.05, power = 0.8 } = args;
  checkLevels(alpha, power);
  if (!(se >= 0) || !Number.isFinite(se)) throw new InvalidArgumentError(`SE must be finite and ≥ 0, got ${se}`);
  if (!(df > 0)) throw new InvalidArgumentError(`df must be > 0, got ${df}`);
  return (quantile(1 - alpha / 2, df) + quantile(power, df)) * se;
}

/**
 * The exact probability that the two-sided level-α t test calls a true effect "improved" (its interval
 * lies above zero): P(T′ > t_{1−α/2, df}) for T′ noncentral t with df degrees of freedom and
 * noncentrality δ = effect/SE, SE being the true standard error of the estimate. Computed as
 * E_X[Φ(δ − t_c·X/√df)] over X ~ χ_df by Simpson's rule (the integrand is smooth and the χ density
 * has no singularity, unlike the χ² one at df = 1); the normal Φ(δ − z_c) when df = Infinity.
 */
export function probabilityOfImproved(args: { readonly effect: number; readonly se: number; readonly df?: number; readonly alpha?: number }): number {
  const { effect, se, df = Infinity, alpha = 0.05 } = args;
  checkLevels(alpha, 0.5);
  if (!(se > 0) || !Number.isFinite(se)) throw new InvalidArgumentError(`SE must be finite and > 0, got ${se}`);
  if (!(df > 0)) throw new InvalidArgumentError(`df must be > 0, got ${df}`);
  const delta = effect / se;
  const critical = quantile(1 - alpha / 2, df);
  if (df === Infinity) return normalCdf(delta - critical);

  const logNorm = (1 - df / 2) * Math.LN2 - logGamma(df / 2);
  const chiDensity = (x: number): number => (x <= 0 ? 0 : Math.exp(logNorm + (df - 1) * Math.log(x) - (x * x) / 2));
  const integrand = (x: number): number => chiDensity(x) * normalCdf(delta - (critical * x) / Math.sqrt(df));
  // χ_df has mean ≈ √df and SD below 0.75: ±12 covers all the mass that a double can see.
  const centre = Math.sqrt(df);
  const from = Math.max(0, centre - 12);
  const to = centre + 12;
  const panels = 2000;
  const h = (to - from) / panels;
  let sum = integrand(from) + integrand(to);
  for (let i = 1; i < panels; i++) sum += (i % 2 === 1 ? 4 : 2) * integrand(from + i * h);
  return Math.min(1, Math.max(0, (sum * h) / 3));
}

/** An evaluation design, in the variance components of a per-item paired difference. */
export interface EvaluationDesign {
  /** Paired items per seed pair. */
  readonly items: number;
  /** Samples scored per item and averaged (inspect epochs, lm-eval repeats). */
  readonly samplesPerItem: number;
  /** σ²_between: variance across items of an item's expected paired difference. */
  readonly betweenItemVariance: number;
  /** σ²_within: variance of a single sample's paired difference around its item's expectation. */
  readonly withinItemVariance: number;
  /** Items per cluster (conversation), m; 1 when items are independent. */
  readonly clusterSize?: number;
  /** Intra-cluster correlation ρ of the per-item differences. */
  readonly icc?: number;
  /** Seed pairs (replicates); 1 for one seed per arm. */
  readonly seeds?: number;
  /** σ²_seed: variance of the per-seed Δ_s that training noise adds, beyond item sampling. */
  readonly betweenSeedVariance?: number;
}

export interface PlannedPrecision {
  readonly se: number;
  readonly df: number;
  /** Variance of one item's sample-averaged difference: σ²_between + σ²_within / samples. */
  readonly itemVariance: number;
  /** The Kish design effect 1 + (m − 1)ρ. */
  readonly designEffect: number;
  readonly covers: IntervalCovers;
}

/**
 * The standard error a design will give, from variance components:
 *   per item       σ²_d = σ²_between + σ²_within / k          (averaging k samples shrinks only σ²_within)
 *   per seed pair  V₁ = σ²_d · (1 + (m − 1)ρ) / n            (Kish 1965 design effect for clusters of m)
 *   over S seeds   V = (σ²_seed + V₁) / S                    (S ≥ 2; the seed-level interval)
 * and SE = √V (or √V₁ with one seed). df matches the interval the report will use: S − 1 with
 * seeds, else clusters − 1 (⌊n/m⌋ − 1) when m > 1, else n − 1.
 *
 * With one seed per arm σ²_seed is left out on purpose: the report's items-only interval does not
 * cover it either, and `covers` says so. Its size is why more samples per item cannot replace seeds.
 */
export function plannedStandardError(design: EvaluationDesign): PlannedPrecision {
  const { items: n, samplesPerItem: k, betweenItemVariance: between, withinItemVariance: within } = design;
  const m = design.clusterSize ?? 1;
  const rho = design.icc ?? 0;
  const seeds = design.seeds ?? 1;
  const seedVariance = design.betweenSeedVariance ?? 0;
  const positiveInteger = (x: number): boolean => Number.isInteger(x) && x >= 1;
  if (!positiveInteger(n) || n < 2) throw new InvalidArgumentError(`a design needs at least 2 items, got ${n}`);
  if (!positiveInteger(k)) throw new InvalidArgumentError(`samples per item must be a positive integer, got ${k}`);
  if (!positiveInteger(m) || m > n) throw new InvalidArgumentError(`cluster size must be an integer in 1..items, got ${m}`);
  if (!positiveInteger(seeds)) throw new InvalidArgumentError(`seeds must be a positive integer, got ${seeds}`);
  if (!(rho >= 0 && rho <= 1)) throw new InvalidArgumentError(`ICC must lie in [0, 1], got ${rho}`);
  for (const [name, v] of [['between-item', between], ['within-item', within], ['between-seed', seedVariance]] as const) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new InvalidArgumentError(`${name} variance must be finite and ≥ 0, got ${v}`);
  }
  const clusters = Math.floor(n / m);
  if (m > 1 && clusters < 2) throw new InvalidArgumentError(`${n} items in clusters of ${m} leave fewer than 2 clusters`);

  const itemVariance = between + within / k;
  const designEffect = 1 + (m - 1) * rho;
  const perSeed = (itemVariance * designEffect) / n;
  const variance = seeds >= 2 ? (seedVariance + perSeed) / seeds : perSeed;
  const df = seeds >= 2 ? seeds - 1 : m > 1 ? clusters - 1 : n - 1;
  return { se: Math.sqrt(variance), df, itemVariance, designEffect, covers: intervalCovers(seeds) };
}

/** `plannedStandardError` and the MDE it implies, for one benchmark of a spec. */
export function planMinimumDetectableEffect(
  design: EvaluationDesign,
  levels: { readonly alpha?: number; readonly power?: number } = {},
): PlannedPrecision & { readonly mde: number } {
  const precision = plannedStandardError(design);
  return { ...precision, mde: minimumDetectableEffect({ se: precision.se, df: precision.df, ...levels }) };
}
