import type { EvalItemResult } from '@ballast/schema';
import { ClusterMismatchError, DuplicateItemError, ItemSetMismatchError, TooFewItemsError } from './errors.js';
import { tQuantile } from './student-t.js';

export type Direction = 'higher_is_better' | 'lower_is_better';

export const CONFIDENCE = 0.95;

export interface PairedDifference {
  /** Paired items. */
  readonly n: number;
  /** Means in the metric's own direction, as the benchmark reports them. */
  readonly treatmentMean: number;
  readonly controlMean: number;
  /** Mean paired difference, oriented so that positive is better. */
  readonly delta: number;
  readonly stderr: number;
  /** Degrees of freedom of the t interval: n − 1, or Bell–McCaffrey's (G − 1 for equal clusters, fewer for unequal) when clustered; not always a whole number. */
  readonly df: number;
  /** Number of clusters when the SE is cluster-robust; null when items are independent. */
  readonly clusters: number | null;
  readonly ciLow: number;
  readonly ciHigh: number;
}

/**
 * Compares two arms on the same items (BRIEF §7): the mean of per-item differences with a 95% t
 * interval. Pairing removes item difficulty from the variance, which is why it beats comparing means.
 *
 * When any item carries `cluster`, the SE is cluster-robust (CR2, with Bell–McCaffrey degrees of
 * freedom: G − 1 for equal clusters, fewer for unequal ones), because items from one conversation are
 * not independent and the naive SE would be too small. An item without a cluster then counts as a
 * cluster of its own.
 */
export function pairedDifference(
  treatment: readonly EvalItemResult[],
  control: readonly EvalItemResult[],
  direction: Direction,
): PairedDifference {
  const pairs = pair(treatment, control);
  const sign = direction === 'lower_is_better' ? -1 : 1;
  const diffs = pairs.map((p) => sign * (p.treatment - p.control));
  const clustered = pairs.some((p) => p.cluster !== undefined);
  const m = itemMean(diffs, clustered ? pairs.map((p) => p.cluster ?? `\u0000item:${p.itemId}`) : null);
  const half = tQuantile(1 - (1 - CONFIDENCE) / 2, m.df) * m.stderr;
  return {
    n: m.n,
    treatmentMean: mean(pairs.map((p) => p.treatment)),
    controlMean: mean(pairs.map((p) => p.control)),
    delta: m.mean,
    stderr: m.stderr,
    df: m.df,
    clusters: m.clusters,
    ciLow: m.mean - half,
    ciHigh: m.mean + half,
  };
}

/** The mean of per-item values with its standard error and degrees of freedom. */
export interface ItemMean {
  readonly n: number;
  readonly mean: number;
  readonly stderr: number;
  readonly df: number;
  /** Clusters when the SE is cluster-robust; null when items are independent. */
  readonly clusters: number | null;
}

/**
 * The mean of one value per item (a paired difference, or any fixed linear combination of an item's
 * scores) with its SE: s/√n on n − 1 df for independent items; with `clusterKeys` (one per value, an
 * item without a cluster keyed as its own), the CR2 cluster-robust SE with Bell–McCaffrey df. Every
 * item-level interval of this package is built here, so that a trend or an area between curves gets
 * exactly the treatment a paired difference does. Throws TooFewItemsError below 2 items or clusters.
 */
export function itemMean(values: ArrayLike<number>, clusterKeys: readonly string[] | null): ItemMean {
  const n = values.length;
  if (n < 2) throw new TooFewItemsError(n, 'items');
  let clusters: number | null = null;
  let df = n - 1;
  if (clusterKeys !== null) {
    clusters = new Set(clusterKeys).size;
    if (clusters < 2) throw new TooFewItemsError(clusters, 'clusters');
    df = clusters - 1;
  }

  // Identical values: no sampling variance to speak of; report the exact value, not float noise.
  const first = values[0] as number;
  let identical = true;
  for (let i = 1; i < n && identical; i++) identical = values[i] === first;
  if (identical) return { n, mean: first, stderr: 0, df, clusters };

  let total = 0;
  for (let i = 0; i < n; i++) total += values[i] as number;
  const centre = total / n;
  let variance: number;
  if (clusterKeys !== null) {
    // CR2 sandwich variance of the mean (Bell & McCaffrey 2002): Σ_g (Σ_{i∈g} e_i)² / (1 − n_g/n) / n².
    // For a mean, the CR2 adjustment (I − H_gg)^(−1/2) scales cluster g's residual sum by
    // (1 − n_g/n)^(−1/2), H_gg being 1·1ᵀ/n on the cluster; unlike CR1's flat G/(G−1) it gives large
    // clusters, whose residuals the mean absorbs most, their due. With one item per cluster it equals
    // s²/n, the unclustered formula.
    const sums = new Map<string, { sum: number; size: number }>();
    for (let i = 0; i < n; i++) {
      const key = clusterKeys[i] as string;
      const entry = sums.get(key) ?? { sum: 0, size: 0 };
      entry.sum += (values[i] as number) - centre;
      entry.size += 1;
      sums.set(key, entry);
    }
    let ss = 0;
    for (const { sum, size } of sums.values()) ss += (sum * sum) / (1 - size / n);
    variance = ss / (n * n);
    df = bellMcCaffreyDf([...sums.values()].map((c) => c.size), n);
  } else {
    let ss = 0;
    for (let i = 0; i < n; i++) ss += ((values[i] as number) - centre) ** 2;
    variance = ss / (n - 1) / n;
  }
  return { n, mean: centre, stderr: Math.sqrt(variance), df, clusters };
}

/**
 * Bell & McCaffrey's (2002) Satterthwaite degrees of freedom for the CR2 variance of a mean, under a
 * working model of independent, equal-variance items: df = (tr M)² / tr(M²), where M = W·Cov(u) over
 * the cluster residual sums u. For a mean, with w_g ∝ 1/(1 − n_g/n), tr M = n and
 * tr M² = Σ n_g² + (Σ a_g)² − Σ a_g², a_g = n_g² / (n − n_g). Balanced clusters give exactly G − 1;
 * unequal ones fewer, which is what keeps the interval's coverage at its level when a few long
 * conversations dominate (Imbens & Kolesár 2016).
 */
export function bellMcCaffreyDf(sizes: readonly number[], n: number): number {
  let squares = 0;
  let sumA = 0;
  let sumA2 = 0;
  for (const m of sizes) {
    squares += m * m;
    const a = (m * m) / (n - m);
    sumA += a;
    sumA2 += a * a;
  }
  return (n * n) / (squares + sumA * sumA - sumA2);
}

interface Pair {
  readonly itemId: string;
  readonly treatment: number;
  readonly control: number;
  readonly cluster: string | undefined;
}

/** Joins the arms by itemId, sorted by itemId so that the floating-point sums do not depend on input order. */
function pair(treatment: readonly EvalItemResult[], control: readonly EvalItemResult[]): Pair[] {
  const byId = (side: 'treatment' | 'control', items: readonly EvalItemResult[]): Map<string, EvalItemResult> => {
    const map = new Map<string, EvalItemResult>();
    for (const item of items) {
      if (map.has(item.itemId)) throw new DuplicateItemError(side, item.itemId);
      map.set(item.itemId, item);
    }
    return map;
  };
  const t = byId('treatment', treatment);
  const c = byId('control', control);
  const onlyT = [...t.keys()].filter((id) => !c.has(id));
  const onlyC = [...c.keys()].filter((id) => !t.has(id));
  if (onlyT.length > 0 || onlyC.length > 0) {
    throw new ItemSetMismatchError(onlyT.slice(0, 10), onlyC.slice(0, 10), { treatment: onlyT.length, control: onlyC.length });
  }
  return [...t.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((itemId) => {
      const ti = t.get(itemId) as EvalItemResult;
      const ci = c.get(itemId) as EvalItemResult;
      if (ti.cluster !== undefined && ci.cluster !== undefined && ti.cluster !== ci.cluster) {
        throw new ClusterMismatchError(itemId, ti.cluster, ci.cluster);
      }
      return { itemId, treatment: ti.score, control: ci.score, cluster: ti.cluster ?? ci.cluster };
    });
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
