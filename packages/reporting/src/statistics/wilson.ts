import { InvalidArgumentError } from '../errors.js';
import { normalQuantile } from '../normal.js';

/**
 * The Wilson score interval for a binomial share k/n (Wilson 1927; Brown, Cai & DasGupta 2001 recommend
 * it over the Wald interval for small n and shares near 0 or 1). n = 0 gives [0, 1]: nothing is known.
 */
export function wilsonInterval(k: number, n: number, confidence = 0.95): { readonly low: number; readonly high: number } {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0 || k > n) throw new InvalidArgumentError(`need integers 0 ≤ k ≤ n, got k=${k}, n=${n}`);
  if (!(confidence > 0 && confidence < 1)) throw new InvalidArgumentError(`confidence must lie in (0, 1), got ${confidence}`);
  if (n === 0) return { low: 0, high: 1 };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
