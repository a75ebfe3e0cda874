import type { EligibleRecords } from './eligible.js';
import { SeededRandom } from './prng.js';

/**
 * Chooses `requested` of a component's eligible records and puts them in a seeded random order, in
 * place: a partial Fisher–Yates shuffle leaves a uniform ordered sample in positions [0, requested).
 * The stream is seeded by the mix seed and the component name, so adding or reordering other
 * components does not change what this one selects from the same eligible records.
 */
export function selectInPlace(records: EligibleRecords, requested: number, seed: number, component: string): void {
  const rng = SeededRandom.fromParts('ballast-mix-select', seed, component);
  const n = records.size;
  for (let i = 0; i < requested; i++) {
    const j = i + rng.below(n - i);
    if (j !== i) records.swap(i, j);
  }
}
