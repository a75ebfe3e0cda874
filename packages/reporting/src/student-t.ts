import { InvalidArgumentError } from './errors.js';
import { normalQuantile } from './normal.js';
import { logGamma, regularizedIncompleteBeta } from './special-functions.js';

// Beyond this many degrees of freedom the Cornish–Fisher series alone is exact to double precision
// for any p a report will ask for, and the incomplete beta starts to lose digits to cancellation.
const CORNISH_FISHER_ONLY_DF = 1e7;

/** Density of Student's t with `df` degrees of freedom. */
export function tPdf(t: number, df: number): number {
  const logNorm = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** P(T > t) for t ≥ 0. Computed directly, not as 1 − CDF, so small tails keep their digits. */
function upperTail(t: number, df: number): number {
  return 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** The CDF of Student's t with `df` > 0 (finite) degrees of freedom. */
export function tCdf(t: number, df: number): number {
  if (!(df > 0) || !Number.isFinite(df)) throw new InvalidArgumentError(`tCdf needs finite df > 0, got ${df}`);
  return t >= 0 ? 1 - upperTail(t, df) : upperTail(-t, df);
}

/** Abramowitz & Stegun 26.7.5: the t quantile as a series in 1/df around the normal quantile. */
function cornishFisher(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/**
 * The p-quantile of Student's t with `df` > 0 degrees of freedom (`Infinity` gives the normal).
 * Exact forms for df 1 and 2; otherwise Newton's method on the upper tail, safeguarded by bisection,
 * from a Cornish–Fisher start. Accurate to about 1e-12 for the quantiles intervals use.
 */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new InvalidArgumentError(`tQuantile needs 0 < p < 1, got ${p}`);
  if (!(df > 0)) throw new InvalidArgumentError(`tQuantile needs df > 0, got ${df}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const z = normalQuantile(p);
  if (df === Infinity) return z;
  if (df >= CORNISH_FISHER_ONLY_DF) return cornishFisher(z, df);

  const q = 1 - p;
  // Bracket [lo, hi] with upperTail(lo) > q ≥ upperTail(hi); the root is positive since p > 0.5.
  let lo = 0;
  let hi = Math.max(1, 2 * cornishFisher(z, df));
  while (upperTail(hi, df) > q) {
    lo = hi;
    hi *= 2;
  }
  let t = Math.min(Math.max(cornishFisher(z, df), lo), hi);
  for (let i = 0; i < 200; i++) {
    const f = upperTail(t, df) - q;
    if (f > 0) lo = t;
    else hi = t;
    // d/dt upperTail = −pdf, so the Newton step is t + f / pdf.
    let next = t + f / tPdf(t, df);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 1e-14 * Math.max(1, Math.abs(t))) return next;
    t = next;
  }
  return t;
}
