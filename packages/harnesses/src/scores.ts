import type { EvalItemResult } from '@ballast/schema';
import type { HarnessKindName } from './errors.js';

/** What an adapter read from one harness run: the contract's per-item rows and what they summarise to. */
export interface HarnessScores {
  /** Which harness wrote the log, and its version as the log records it. */
  readonly harness: { readonly kind: HarnessKindName; readonly version: string };
  /**
   * One row per item in the order the log first names it; score = the mean over the item's samples,
   * in the metric's own direction (the report applies direction).
   */
  readonly items: EvalItemResult[];
  /** Samples scored per item, as the log shows them (inspect epochs; lm-eval: one value per doc). */
  readonly samplesPerItem: number;
  readonly n: number;
  readonly mean: number;
  /** Plain item-level standard error; clustered errors are the report's, it has the clusters. */
  readonly stderr: number;
  /** The value that was read: inspect's scorer name, lm-eval's `metric,filter` key. */
  readonly scoredBy: string;
  /** The log files read. */
  readonly sources: readonly string[];
}

export interface ScoredSample {
  readonly itemId: string;
  readonly value: number;
  readonly cluster?: string;
}

/** Groups samples by item; each item's score is the mean of its samples. Keeps first-seen order. */
export function itemsFromSamples(samples: readonly ScoredSample[]): { items: EvalItemResult[]; samplesPerItem: Map<string, number> } {
  const byItem = new Map<string, { sum: number; count: number; cluster?: string }>();
  for (const s of samples) {
    const row = byItem.get(s.itemId);
    if (row) {
      row.sum += s.value;
      row.count += 1;
      row.cluster ??= s.cluster;
    } else {
      byItem.set(s.itemId, { sum: s.value, count: 1, ...(s.cluster === undefined ? {} : { cluster: s.cluster }) });
    }
  }
  const items: EvalItemResult[] = [];
  const counts = new Map<string, number>();
  for (const [itemId, row] of byItem) {
    items.push({ itemId, score: row.sum / row.count, ...(row.cluster === undefined ? {} : { cluster: row.cluster }) });
    counts.set(itemId, row.count);
  }
  return { items, samplesPerItem: counts };
}

/** Mean and plain standard error of the item scores (the same rule as the reference evaluator). */
export function summarizeItems(items: readonly EvalItemResult[]): { n: number; mean: number; stderr: number } {
  const n = items.length;
  if (n === 0) return { n, mean: 0, stderr: 0 };
  const mean = items.reduce((s, it) => s + it.score, 0) / n;
  const variance = n < 2 ? 0 : items.reduce((s, it) => s + (it.score - mean) ** 2, 0) / (n - 1);
  return { n, mean, stderr: Math.sqrt(variance / n) };
}

/** A metadata value usable as a cluster id: a non-empty string, or a number written as one. */
export function clusterOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
