import { InvalidArgumentError } from '../errors.js';
import { tCdf } from '../student-t.js';
import { normalCdf } from './normal-cdf.js';

/** Which hypothesis a p-value tests against H₀: effect = 0. 'greater' is H₁: effect > 0. */
export const Alternative = { twoSided: 'two-sided', greater: 'greater', less: 'less' } as const;
export type Alternative = (typeof Alternative)[keyof typeof Alternative];

/**
 * The p-value of the Wald t test of H₀: effect = 0, t = estimate / se on `df` degrees of freedom
 * (`Infinity` for the normal). Two-sided by default: 2·P(T ≥ |t|), the same test the t interval
 * inverts, so p < α exactly when the (1 − α) interval excludes zero.
 *
 * Returns null when se = 0: a point estimate carries no evidence about its sampling error, and a
 * p-value of 0 would make it decisive (two items at +1 would read "improved"). Tails are computed
 * directly, never as 1 − CDF, so tiny p-values keep their digits for Holm and BH.
 */
export function tTestPValue(estimate: number, se: number, df: number, alternative: Alternative = 'two-sided'): number | null {
  if (!Number.isFinite(estimate)) throw new InvalidArgumentError(`a p-value needs a finite estimate, got ${estimate}`);
  if (!(se >= 0) || !Number.isFinite(se)) throw new InvalidArgumentError(`a p-value needs a finite se ≥ 0, got ${se}`);
  if (!(df > 0)) throw new InvalidArgumentError(`a p-value needs df > 0, got ${df}`);
  if (se === 0) return null;
  const t = estimate / se;
  // P(T ≤ x), the normal when df is infinite (tCdf wants finite df).
  const cdf = (x: number): number => (df === Infinity ? normalCdf(x) : tCdf(x, df));
  switch (alternative) {
    case 'two-sided':
      return Math.min(1, 2 * cdf(-Math.abs(t)));
    case 'greater':
      return cdf(-t);
    case 'less':
      return cdf(t);
  }
}
