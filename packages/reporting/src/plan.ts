import type { BenchmarkInfo } from '@ballast/schema';
import { InvalidArgumentError } from './errors.js';
import { planMinimumDetectableEffect } from './statistics/power.js';

/**
 * What `ballast plan` assumes about the variance of a per-item paired difference when nothing better is
 * given. Chosen to reproduce what the reference workload's reports show today: a median 95% CI
 * half-width near 0.030 with 4 samples per item and one seed at the median benchmark's 100 items (an
 * MDE near 0.042 at 80% power), and a
 * spread of per-seed Δ about 1.34× the item-level SE. Real benchmarks differ: pass `--assume` with
 * figures from a pilot's report (its SE, items and samples give σ² back).
 */
export const PLAN_ASSUMPTIONS = {
  /** σ²_within: one sample's paired difference around its item's expectation (two Bernoulli draws near p = 0.03). */
  within: 0.06,
  /** σ²_between: across items, of an item's expected paired difference. */
  between: 0.002,
  /** Items per conversation cluster. */
  clusterSize: 2,
  /** Intra-cluster correlation of the per-item differences. */
  icc: 0.3,
  /** σ²_seed: variance of the per-seed Δ that training noise adds. */
  seed: 0.0002,
} as const;
export type PlanAssumptions = { -readonly [K in keyof typeof PLAN_ASSUMPTIONS]: number };

export interface PlanRow {
  readonly benchmark: string;
  readonly category: string;
  readonly inHeadlineFamily: boolean;
  /** Items per seed pair; null when the registry does not know the count yet (a real harness before its first run). */
  readonly items: number | null;
  readonly samplesPerItem: number;
  readonly seeds: number;
  readonly se: number | null;
  readonly df: number | null;
  /** At the declared α, two-sided. */
  readonly mde: number | null;
  /** At α / m (Holm's strictest step, m = the headline family's size): what the headline needs in the worst case. */
  readonly mdeHolm: number | null;
  readonly covers: 'items' | 'seeds-and-items' | null;
}

/** Parses `K=V` assumption overrides (`within=0.08`), refusing unknown keys and values that are not finite numbers ≥ 0. */
export function parseAssumptions(pairs: readonly string[]): PlanAssumptions {
  const out: PlanAssumptions = { ...PLAN_ASSUMPTIONS };
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = Number(eq < 0 ? NaN : pair.slice(eq + 1));
    if (!Object.hasOwn(PLAN_ASSUMPTIONS, key)) throw new InvalidArgumentError(`--assume ${key}: unknown; use one of ${Object.keys(PLAN_ASSUMPTIONS).join(', ')}`);
    if (!Number.isFinite(value) || value < 0) throw new InvalidArgumentError(`--assume ${key}: needs a finite number ≥ 0, as ${key}=0.1`);
    out[key as keyof PlanAssumptions] = value;
  }
  if (out.icc > 1) throw new InvalidArgumentError('--assume icc: must be at most 1');
  if (!Number.isInteger(out.clusterSize) || out.clusterSize < 1) throw new InvalidArgumentError('--assume clusterSize: must be a whole number ≥ 1');
  return out;
}

/**
 * The minimum detectable effect of every benchmark an experiment will evaluate, for its items (capped by
 * `limit`), samples per item and seeds per arm, at the declared α and the given power; and at α / m for
 * the headline family, the threshold Holm's first step applies.
 */
export function planEvaluation(args: {
  readonly benchmarks: readonly BenchmarkInfo[];
  readonly headline: readonly string[];
  readonly samplesPerItem: number;
  readonly seeds: number;
  readonly limit?: number | undefined;
  readonly alpha: number;
  readonly power: number;
  readonly assumptions: PlanAssumptions;
}): PlanRow[] {
  const m = Math.max(1, args.headline.length);
  return args.benchmarks.map((b) => {
    const ref = `${b.id}@${b.version}`;
    // lm-eval scores each item once whatever the spec asks (docs/evaluation.md).
    const samples = b.harness.kind === 'lm-eval' ? 1 : args.samplesPerItem;
    const items = b.itemCount === null ? (args.limit ?? null) : Math.min(b.itemCount, args.limit ?? Infinity);
    const base = { benchmark: ref, category: b.category, inHeadlineFamily: args.headline.includes(ref), items, samplesPerItem: samples, seeds: args.seeds };
    if (items === null || items < 2) return { ...base, se: null, df: null, mde: null, mdeHolm: null, covers: null };
    const a = args.assumptions;
    const clusterSize = Math.min(a.clusterSize, Math.floor(items / 2));
    const design = {
      items,
      samplesPerItem: samples,
      betweenItemVariance: a.between,
      withinItemVariance: a.within,
      clusterSize: Math.max(1, clusterSize),
      icc: a.icc,
      seeds: args.seeds,
      betweenSeedVariance: a.seed,
    };
    const plan = planMinimumDetectableEffect(design, { alpha: args.alpha, power: args.power });
    const holm = planMinimumDetectableEffect(design, { alpha: args.alpha / m, power: args.power });
    return { ...base, se: plan.se, df: plan.df, mde: plan.mde, mdeHolm: base.inHeadlineFamily ? holm.mde : null, covers: plan.covers };
  });
}
