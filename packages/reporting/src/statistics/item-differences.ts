import type { EvalItemResult } from '@ballast/schema';
import type { Direction } from '../paired-difference.js';

/** Per-item paired differences of one seed pair, with each item's cluster as a small integer. */
export interface ItemDifferences {
  /** Oriented differences (positive is better), in item-id order. */
  readonly differences: Float64Array;
  /** Cluster index 0..clusters−1 of each difference; an item without a cluster is its own. */
  readonly clusterOf: Int32Array;
  readonly clusters: number;
}

/**
 * The per-item differences behind a `pairedDifference`, for the statistics that need the items
 * themselves (the SD of differences, the hierarchical bootstrap). Call it only after
 * `pairedDifference` accepted the same arms: that is where mismatched, duplicated or
 * inconsistently clustered items are rejected, and this join does not check them again.
 */
export function itemDifferences(
  treatment: readonly EvalItemResult[],
  control: readonly EvalItemResult[],
  direction: Direction,
): ItemDifferences {
  const sign = direction === 'lower_is_better' ? -1 : 1;
  const controlById = new Map<string, EvalItemResult>();
  for (const item of control) controlById.set(item.itemId, item);
  const sorted = [...treatment].sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
  const differences = new Float64Array(sorted.length);
  const clusterOf = new Int32Array(sorted.length);
  const clusterIndex = new Map<string, number>();
  sorted.forEach((t, i) => {
    const c = controlById.get(t.itemId) as EvalItemResult;
    differences[i] = sign * (t.score - c.score);
    const key = t.cluster ?? c.cluster ?? `\u0000item:${t.itemId}`;
    let index = clusterIndex.get(key);
    if (index === undefined) {
      index = clusterIndex.size;
      clusterIndex.set(key, index);
    }
    clusterOf[i] = index;
  });
  return { differences, clusterOf, clusters: clusterIndex.size };
}

/** Sample standard deviation (n − 1 denominator) of the differences; 0 for fewer than two. */
export function sdOfDifferences(differences: ArrayLike<number>): number {
  const n = differences.length;
  if (n < 2) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += differences[i] as number;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((differences[i] as number) - mean) ** 2;
  return Math.sqrt(ss / (n - 1));
}
