import type { EvalItemResult } from '@ballast/schema';
import type { SeedPair } from './benchmark-estimate.js';
import type { Rng } from './rng.js';

/**
 * Synthetic benchmark results with a known true effect, for the Monte Carlo tests of this folder.
 * Not a model of any real benchmark: a linear-normal model whose parameters map one to one onto the
 * variance components the estimators are meant to handle, so that coverage and error rates can be
 * compared with their nominal values.
 *
 * Arm A ∈ {treatment, control}, seed s, item i in conversation g:
 *   score = difficulty_i + [A = treatment]·trueEffect + seedShift_{A,s} + conversation_{A,s,g} + noise_{A,s,i}
 * Item difficulty is fixed across arms and seeds (pairing removes it); every other term is drawn
 * afresh per arm and seed, since a differently seeded training run is a different model.
 */
export interface SyntheticDesign {
  readonly trueEffect: number;
  /** Conversation sizes, one entry per cluster; items = their sum. Omit for unclustered items. */
  readonly clusterSizes?: readonly number[];
  /** Items when unclustered. */
  readonly items?: number;
  readonly seeds: number;
  /** SD of item difficulty: large on purpose, to show that pairing cancels it. */
  readonly difficultySd: number;
  /** SD of each arm's per-item noise. */
  readonly noiseSd: number;
  /** SD of each arm's per-conversation shift (makes items in a conversation correlated). */
  readonly conversationSd?: number;
  /** SD of each arm's per-seed shift (training noise). */
  readonly seedSd?: number;
}

/** Item and cluster ids are built once per shape and shared by every draw, to keep draws cheap. */
export interface SyntheticLayout {
  readonly itemIds: readonly string[];
  /** Cluster id of each item, or undefined for unclustered designs. */
  readonly clusterIds: readonly (string | undefined)[] | undefined;
  readonly clusterOf: Int32Array;
  readonly clusters: number;
}

export function syntheticLayout(design: SyntheticDesign): SyntheticLayout {
  const sizes = design.clusterSizes;
  if (sizes === undefined) {
    const n = design.items ?? 0;
    const itemIds = Array.from({ length: n }, (_, i) => `item-${String(i).padStart(4, '0')}`);
    return { itemIds, clusterIds: undefined, clusterOf: Int32Array.from({ length: n }, (_, i) => i), clusters: n };
  }
  const clusterOf: number[] = [];
  sizes.forEach((size, g) => {
    for (let j = 0; j < size; j++) clusterOf.push(g);
  });
  const itemIds = clusterOf.map((_, i) => `item-${String(i).padStart(4, '0')}`);
  const clusterIds = clusterOf.map((g) => `conv-${String(g).padStart(3, '0')}`);
  return { itemIds, clusterIds, clusterOf: Int32Array.from(clusterOf), clusters: sizes.length };
}

/** One draw of a benchmark: `design.seeds` seed pairs on the same items. */
export function drawSeedPairs(rng: Rng, design: SyntheticDesign, layout: SyntheticLayout): SeedPair[] {
  const n = layout.itemIds.length;
  const difficulty = new Float64Array(n);
  for (let i = 0; i < n; i++) difficulty[i] = design.difficultySd * rng.normal();
  const arm = (effect: number): EvalItemResult[] => {
    const seedShift = (design.seedSd ?? 0) * rng.normal();
    const conversation = new Float64Array(layout.clusters);
    const conversationSd = design.conversationSd ?? 0;
    if (conversationSd > 0) for (let g = 0; g < layout.clusters; g++) conversation[g] = conversationSd * rng.normal();
    return layout.itemIds.map((itemId, i) => {
      const score =
        (difficulty[i] as number) + effect + seedShift + (conversation[layout.clusterOf[i] as number] as number) + design.noiseSd * rng.normal();
      const cluster = layout.clusterIds?.[i];
      return cluster === undefined ? { itemId, score } : { itemId, score, cluster };
    });
  };
  return Array.from({ length: design.seeds }, () => ({ treatment: arm(design.trueEffect), control: arm(0) }));
}
