import type { EstimateMethod, EvalItemResult, InsufficientReason as ReportedReason } from '@ballast/schema';
import { ClusterMismatchError, DuplicateItemError, InvalidArgumentError, ItemSetMismatchError, TooFewItemsError } from '../errors.js';
import { CONFIDENCE, itemMean, type ItemMean } from '../paired-difference.js';
import { tQuantile } from '../student-t.js';
import { checkConfidence } from './bootstrap.js';
import { type InsufficientReason, isEffectivelyZeroSe } from './insufficient.js';
import { sdOfDifferences } from './item-differences.js';
import { tTestPValue } from './p-values.js';
import { type IntervalCovers, intervalCovers, seedLevelInterval } from './replicates.js';

/**
 * Linear contrasts of item means: the one estimator behind a trend across a trait-fraction sweep, an
 * area between two persistence curves, a difference at one attack step and an arm's own score there
 * (docs/statistics.md, "Dose–response" and "Selective persistence").
 *
 * A value is θ = Σ_b Σ_j w_bj · o_b · mean_i x_bji: benchmark b (orientation o_b = ±1), condition j
 * (an arm at an attack step, pressure level or trait fraction), items i shared by every condition of
 * b. Per item it is c_bi = o_b Σ_j w_bj x_bji, so θ = Σ_b mean_i c_bi:
 *   - items as the unit (one seed): each benchmark's mean of c_bi with `itemMean` (t on n − 1 df, or
 *     CR2 with Bell–McCaffrey df when clustered), the benchmarks' variances summed (their items are
 *     different, hence independent) on Welch–Satterthwaite df;
 *   - seeds as the unit: θ_k per replicate k, then the seed-level t interval on S − 1 df.
 */

/** One condition's items and its weight in the contrast. */
export interface ContrastTerm {
  readonly weight: number;
  readonly items: readonly EvalItemResult[];
}

/** One benchmark's part of a contrast: its conditions, and +1, or −1 for a lower-is-better metric. */
export interface ContrastBlock {
  readonly sign: 1 | -1;
  readonly terms: readonly ContrastTerm[];
}

export interface LinearContrastInput {
  /** One entry per replicate (seed); each the benchmarks whose contrasts add up to the value. */
  readonly replicates: readonly (readonly ContrastBlock[])[];
  readonly unit: 'items' | 'seeds';
  readonly confidence?: number;
  /** Whether the value is a difference that 0 makes a hypothesis of (false for one arm's score: no p-value). */
  readonly testsZero?: boolean;
}

export interface LinearContrast {
  readonly estimate: number | null;
  readonly se: number | null;
  readonly df: number | null;
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  readonly pValue: number | null;
  readonly items: number;
  readonly clusters: number | null;
  readonly seeds: number;
  readonly covers: IntervalCovers;
  readonly method: EstimateMethod | null;
  /** SD of the per-item contrasts c_i (root-mean-square over seeds); for standardising a one-benchmark contrast. */
  readonly sdOfContrast: number | null;
  readonly insufficientReason: ReportedReason | null;
  readonly insufficientDetail: string | null;
}

/** A contrast that could not be estimated, for a reason found before any arithmetic (results missing, too few levels). */
export function unestimated(
  reason: ReportedReason,
  detail: string,
  seeds: number,
  seedsPerArm: number,
  known: Partial<LinearContrast> = {},
): LinearContrast {
  return {
    estimate: null,
    se: null,
    df: null,
    ciLow: null,
    ciHigh: null,
    pValue: null,
    items: 0,
    clusters: null,
    seeds,
    covers: intervalCovers(seedsPerArm),
    method: null,
    sdOfContrast: null,
    ...known,
    insufficientReason: reason,
    insufficientDetail: detail,
  };
}

interface BlockValues {
  /** c_i in item-id order. */
  readonly values: Float64Array;
  /** Cluster key per item, or null when no item of the block carries one. */
  readonly clusterKeys: readonly string[] | null;
}

/** The estimate, interval and p-value of a linear contrast of item means; insufficient data instead of a point interval. */
export function linearContrast(input: LinearContrastInput): LinearContrast {
  const confidence = input.confidence ?? CONFIDENCE;
  checkConfidence(confidence);
  const seeds = input.replicates.length;
  if (input.unit === 'items' && seeds > 1) {
    throw new InvalidArgumentError(`unit 'items' takes one replicate, got ${seeds}; several seeds make the seed the unit`);
  }
  const seedsPerArm = input.unit === 'seeds' ? Math.max(2, seeds) : 1;
  const refuse = (reason: InsufficientReason, detail: string, known: Partial<LinearContrast> = {}) => unestimated(reason, detail, seeds, seedsPerArm, known);
  if (seeds === 0) return refuse('too_few_seeds', 'no results to compare');
  if (input.unit === 'seeds' && seeds < 2) return refuse('too_few_seeds', `${seeds} seed pair; seeds are the unit of replication, which needs at least 2`);

  const perSeed = input.replicates.map((blocks) => blocks.map(blockValues));
  const blockCount = perSeed[0]?.length ?? 0;
  const items = Math.min(...perSeed.map((blocks) => blocks.reduce((n, b) => n + b.values.length, 0)));
  const anyClustered = perSeed.some((blocks) => blocks.some((b) => b.clusterKeys !== null));
  const clusters = anyClustered ? Math.min(...perSeed.map((blocks) => blocks.reduce((n, b) => n + (b.clusterKeys === null ? b.values.length : new Set(b.clusterKeys).size), 0))) : null;
  const sdOfContrast = blockCount === 1 ? Math.sqrt(perSeed.reduce((acc, blocks) => acc + sdOfDifferences(blocks[0]!.values) ** 2, 0) / seeds) : null;
  const known = { items, clusters, sdOfContrast };
  if (perSeed.some((blocks) => blocks.some((b) => b.values.length === 0))) return refuse('too_few_items', 'a benchmark has no items', known);
  const testsZero = input.testsZero ?? true;

  if (input.unit === 'items') {
    const blocks = perSeed[0]!;
    const means: ItemMean[] = [];
    for (const block of blocks) {
      try {
        means.push(itemMean(block.values, block.clusterKeys));
      } catch (error) {
        if (!(error instanceof TooFewItemsError)) throw error;
        return error.unit === 'items'
          ? refuse('too_few_items', `${error.units} item(s) in one benchmark; an interval needs at least 2`, known)
          : refuse('too_few_clusters', `${error.units} cluster(s) in one benchmark; a cluster-robust interval needs at least 2`, known);
      }
    }
    const estimate = means.reduce((s, m) => s + m.mean, 0);
    const variance = means.reduce((s, m) => s + m.stderr ** 2, 0);
    const se = Math.sqrt(variance);
    const scale = blocks.reduce((m, b) => b.values.reduce((x, v) => Math.max(x, Math.abs(v)), m), 0);
    if (isEffectivelyZeroSe(se, scale)) return refuse('no_variance', 'every per-item contrast is the same; a point interval cannot support a verdict', { ...known, estimate, se: 0 });
    // Welch–Satterthwaite: the benchmarks' variances are independent, each on its own (Bell–McCaffrey) df.
    const df = variance ** 2 / means.reduce((s, m) => s + (m.stderr > 0 ? m.stderr ** 4 / m.df : 0), 0);
    const half = tQuantile(1 - (1 - confidence) / 2, df) * se;
    return {
      ...known,
      estimate,
      se,
      df,
      ciLow: estimate - half,
      ciHigh: estimate + half,
      pValue: testsZero ? tTestPValue(estimate, se, df) : null,
      seeds,
      covers: intervalCovers(1),
      method: anyClustered ? 'item-cr2-t' : 'item-t',
      insufficientReason: null,
      insufficientDetail: null,
    };
  }

  const values = perSeed.map((blocks) => blocks.reduce((s, b) => s + mean(b.values), 0));
  const interval = seedLevelInterval(values, confidence);
  if (interval.kind === 'insufficient_data') {
    return refuse(interval.reason, interval.detail, { ...known, estimate: mean(values), se: 0, df: seeds - 1 });
  }
  return {
    ...known,
    estimate: interval.delta,
    se: interval.se,
    df: interval.df,
    ciLow: interval.ciLow,
    ciHigh: interval.ciHigh,
    pValue: testsZero ? interval.pValue : null,
    seeds,
    covers: intervalCovers(seeds),
    method: 'seed-t',
    insufficientReason: null,
    insufficientDetail: null,
  };
}

/**
 * Joins a benchmark's conditions by item id (sorted, so that sums do not depend on input order) into
 * c_i. Items are shared by every condition, as they are across arms and attack steps; a condition
 * that lacks an item, lists one twice or puts it in another cluster is a bug upstream and throws.
 */
function blockValues(block: ContrastBlock): BlockValues {
  const [first, ...rest] = block.terms;
  if (first === undefined) throw new InvalidArgumentError('a contrast block needs at least one term');
  const index = new Map<string, number>();
  const ids = [...new Set(first.items.map((it) => it.itemId))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  ids.forEach((id, i) => index.set(id, i));
  const values = new Float64Array(ids.length);
  const clusterOf: (string | undefined)[] = new Array(ids.length).fill(undefined);
  for (const term of [first, ...rest]) {
    if (!Number.isFinite(term.weight)) throw new InvalidArgumentError(`contrast weights must be finite, got ${term.weight}`);
    const seen = new Uint8Array(ids.length);
    const extra: string[] = [];
    for (const item of term.items) {
      const i = index.get(item.itemId);
      if (i === undefined) {
        extra.push(item.itemId);
        continue;
      }
      if (seen[i] === 1) throw new DuplicateItemError('treatment', item.itemId);
      seen[i] = 1;
      values[i] = (values[i] as number) + block.sign * term.weight * item.score;
      if (item.cluster !== undefined) {
        const known = clusterOf[i];
        if (known !== undefined && known !== item.cluster) throw new ClusterMismatchError(item.itemId, known, item.cluster);
        clusterOf[i] = item.cluster;
      }
    }
    const missing = ids.filter((_, i) => seen[i] === 0);
    if (missing.length > 0 || extra.length > 0) {
      throw new ItemSetMismatchError(extra.slice(0, 10), missing.slice(0, 10), { treatment: extra.length, control: missing.length });
    }
  }
  const clustered = clusterOf.some((c) => c !== undefined);
  return { values, clusterKeys: clustered ? ids.map((id, i) => clusterOf[i] ?? `\u0000item:${id}`) : null };
}

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] as number;
  return s / values.length;
}
