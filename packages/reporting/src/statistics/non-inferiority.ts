import type { NonInferiorityResult as NonInferiorityResultSchema } from '@ballast/schema';
import { InvalidArgumentError } from '../errors.js';
import { tQuantile } from '../student-t.js';
import type { BenchmarkVerdict } from './benchmark-estimate.js';

export const NonInferiorityVerdict = {
  nonInferior: 'non_inferior',
  inferior: 'inferior',
  inconclusive: 'inconclusive',
  insufficientData: 'insufficient_data',
} as const satisfies Record<string, NonInferiorityResultSchema['verdict']>;
export type NonInferiorityVerdict = (typeof NonInferiorityVerdict)[keyof typeof NonInferiorityVerdict];

export interface NonInferiorityResult {
  readonly verdict: NonInferiorityVerdict;
  readonly margin: number;
  /** One-sided α; the bounds are those of the two-sided (1 − 2α) interval. */
  readonly alpha: number;
  readonly lower: number | null;
  readonly upper: number | null;
}

/** The fields of a benchmark estimate the test reads; a `BenchmarkEstimate` satisfies it. */
export interface EstimateForNonInferiority {
  readonly verdict: BenchmarkVerdict;
  readonly delta: number | null;
  readonly se: number | null;
  readonly df: number | null;
}

/**
 * The non-inferiority test against a declared margin m > 0, with Δ oriented so that positive is better
 * (the confidence-interval approach; CPMP 2000, "Points to consider on switching between superiority
 * and non-inferiority"; Wellek 2010). With the one-sided level α and the (1 − 2α) two-sided t interval
 * [L, U] = Δ ± t_{1−α, df}·SE:
 *   'non_inferior' when L > −m (the one-sided level-α test rejects "worse by m or more"),
 *   'inferior'     when U < −m (worse than the margin, with the same confidence),
 *   'inconclusive' otherwise.
 * An estimate from the hierarchical bootstrap is read through its bootstrap SE on S − 1 df, an
 * approximation to re-reading its percentiles at the (1 − 2α) level.
 * An estimate without an interval gives 'insufficient_data'. α defaults to 0.025, so the bounds are
 * those of the usual 95% interval. Capability and helpfulness benchmarks use this in place of
 * "improved", since training for safety is not meant to raise them, only not to cost them more than m.
 */
export function nonInferiority(estimate: EstimateForNonInferiority, margin: number, alpha = 0.025): NonInferiorityResult {
  if (!(margin > 0) || !Number.isFinite(margin)) throw new InvalidArgumentError(`a non-inferiority margin must be finite and > 0, got ${margin}`);
  if (!(alpha > 0 && alpha < 0.5)) throw new InvalidArgumentError(`one-sided α must lie in (0, 0.5), got ${alpha}`);
  const { delta, se, df } = estimate;
  if (estimate.verdict === 'insufficient_data' || delta === null || se === null || df === null || !(se > 0)) {
    return { verdict: 'insufficient_data', margin, alpha, lower: null, upper: null };
  }
  const half = tQuantile(1 - alpha, df) * se;
  const lower = delta - half;
  const upper = delta + half;
  const verdict = lower > -margin ? 'non_inferior' : upper < -margin ? 'inferior' : 'inconclusive';
  return { verdict, margin, alpha, lower, upper };
}
