import { logGamma } from '../special-functions.js';

/**
 * The standard normal CDF Φ(x), as ½·Q(½, x²/2) in the lower tail and 1 − that in the upper, where
 * Q is the regularized upper incomplete gamma function (Φ(−x) = ½·erfc(x/√2) = ½·Q(½, x²/2)).
 * Computing the tail directly keeps its relative precision, which small p-values need.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const tail = 0.5 * regularizedUpperGamma(0.5, (x * x) / 2);
  return x < 0 ? tail : 1 - tail;
}

/** Q(a, x) = Γ(a, x)/Γ(a) for a > 0, x ≥ 0: the series below a + 1, Lentz's continued fraction above. */
function regularizedUpperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  const logFront = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    // P(a, x) = e^{−x} x^a / Γ(a+1) · Σ_n x^n / ((a+1)…(a+n))
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return 1 - Math.exp(logFront) * sum;
  }
  // Q(a, x) = e^{−x} x^a / Γ(a) · 1/(x+1−a− 1·(1−a)/(x+3−a− 2·(2−a)/(x+5−a− …)))
  const TINY = 1e-300;
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < 10_000; n++) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logFront) * h;
}
