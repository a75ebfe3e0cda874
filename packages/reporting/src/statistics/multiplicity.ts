import { InvalidArgumentError } from '../errors.js';

/**
 * Adjusted p-values for a family of tests, so that "k of N improved" holds up: Holm (1979) controls
 * the family-wise error rate (the chance of any false claim), Benjamini & Hochberg (1995) the false
 * discovery rate (the expected share of false claims among the claims).
 *
 * Both take the p-values in the caller's order and return adjusted ones in that same order. A null
 * (a benchmark with insufficient data) stays null and does not count towards m, the family size:
 * it makes no claim, so it spends no error budget.
 */

/**
 * Holm's step-down adjustment (Holm 1979, "A simple sequentially rejective multiple test procedure").
 * With p₍₁₎ ≤ … ≤ p₍ₘ₎: p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎). Rejecting where p̃ < α controls the
 * FWER at α under any dependence between the tests, and is never less powerful than Bonferroni.
 */
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  const order = sortedPresent(pValues);
  const m = order.length;
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * (pValues[index] as number)));
    adjusted[index] = running;
  });
  return adjusted;
}

/**
 * The Benjamini–Hochberg step-up adjustment (Benjamini & Hochberg 1995, "Controlling the false
 * discovery rate"). With p₍₁₎ ≤ … ≤ p₍ₘ₎: p̃₍ᵢ₎ = min_{j ≥ i} min(1, m·p₍ⱼ₎ / j). Rejecting where p̃ < q
 * controls the FDR at q for independent or positively dependent tests.
 */
export function benjaminiHochbergAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  const order = sortedPresent(pValues);
  const m = order.length;
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const index = order[rank] as number;
    // m/j first: it is ≥ 1 after rounding too, so the adjusted value never dips below the raw one.
    running = Math.min(running, (m / (rank + 1)) * (pValues[index] as number));
    adjusted[index] = running;
  }
  return adjusted;
}

/** Indices of the non-null p-values, by increasing p (ties in input order, so results are deterministic). */
function sortedPresent(pValues: readonly (number | null)[]): number[] {
  const present: number[] = [];
  pValues.forEach((p, i) => {
    if (p === null) return;
    if (!(p >= 0 && p <= 1)) throw new InvalidArgumentError(`p-value ${i} is ${p}; p-values lie in [0, 1]`);
    present.push(i);
  });
  return present.sort((a, b) => (pValues[a] as number) - (pValues[b] as number) || a - b);
}

/** How many tests of a family came out each way at level α. */
export interface SignificanceCounts {
  readonly improved: number;
  readonly regressed: number;
  /** Tested, but not significant at α. */
  readonly noChange: number;
  /** No p-value (insufficient data): outside the family. */
  readonly untested: number;
  /** Tests with a p-value: the m the adjustment used. */
  readonly tested: number;
}

/**
 * Counts "improved" (p < α and Δ > 0) and "regressed" (p < α and Δ < 0), with Δ already oriented
 * so that positive is better. Pass adjusted p-values for the headline, raw ones for the unadjusted
 * count. Strictly below α, so that with raw two-sided t p-values the count matches the verdicts of
 * the (1 − α) intervals, which call a result only when zero lies strictly outside.
 */
export function countSignificant(
  pValues: readonly (number | null)[],
  deltas: readonly number[],
  alpha: number,
): SignificanceCounts {
  if (!(alpha > 0 && alpha < 1)) throw new InvalidArgumentError(`α must lie in (0, 1), got ${alpha}`);
  if (pValues.length !== deltas.length) {
    throw new InvalidArgumentError(`${pValues.length} p-values but ${deltas.length} effects; they must pair up`);
  }
  let improved = 0;
  let regressed = 0;
  let noChange = 0;
  let untested = 0;
  pValues.forEach((p, i) => {
    const delta = deltas[i] as number;
    if (p === null) untested++;
    else if (p < alpha && delta > 0) improved++;
    else if (p < alpha && delta < 0) regressed++;
    else noChange++;
  });
  return { improved, regressed, noChange, untested, tested: pValues.length - untested };
}
