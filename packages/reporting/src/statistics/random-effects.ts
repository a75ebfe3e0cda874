import { InvalidArgumentError } from '../errors.js';
import { CONFIDENCE } from '../paired-difference.js';
import { tQuantile } from '../student-t.js';
import { normalQuantile } from '../normal.js';
import { insufficientData, type InsufficientData } from './insufficient.js';
import { tTestPValue } from './p-values.js';

/** One study's (benchmark's) effect and its sampling variance. */
export interface EffectWithVariance {
  readonly effect: number;
  readonly variance: number;
}

/**
 * 'hartung-knapp' (the default): the Hartung–Knapp–Sidik–Jonkman interval, t on k − 1 df with
 * the ad hoc max(1, q) correction; 'normal': DerSimonian & Laird's own μ ± z·SE.
 */
export type RandomEffectsInterval = 'hartung-knapp' | 'normal';

export interface RandomEffectsSummary {
  readonly kind: 'summary';
  /** Number of effects pooled. */
  readonly k: number;
  /** Pooled mean μ̂, weighted by 1/(vᵢ + τ̂²). */
  readonly mean: number;
  /** SE of μ̂ for the chosen interval (Hartung–Knapp's, or 1/√Σw*). */
  readonly se: number;
  /** Degrees of freedom of the interval: k − 1, or Infinity for the normal interval. */
  readonly df: number;
  /** Between-study variance, DerSimonian–Laird moment estimate, truncated at 0. */
  readonly tau2: number;
  /** Cochran's Q with fixed-effect weights. */
  readonly q: number;
  /** Higgins & Thompson's I² = max(0, (Q − (k − 1))/Q): the share of spread that is heterogeneity. */
  readonly i2: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  /** Two-sided p-value for μ = 0 on the same reference distribution as the interval. */
  readonly pValue: number;
  readonly interval: RandomEffectsInterval;
}

/**
 * The DerSimonian–Laird random-effects summary (DerSimonian & Laird 1986, "Meta-analysis in clinical
 * trials"). With wᵢ = 1/vᵢ and the fixed-effect mean ȳ_w:
 *   Q = Σ wᵢ(yᵢ − ȳ_w)²,  τ̂² = max(0, (Q − (k − 1)) / (Σwᵢ − Σwᵢ²/Σwᵢ)),
 *   w*ᵢ = 1/(vᵢ + τ̂²),  μ̂ = Σw*ᵢyᵢ / Σw*ᵢ,  SE = 1/√Σw*ᵢ.
 *
 * The default interval is Hartung–Knapp (Hartung & Knapp 2001; Sidik & Jonkman 2002): SE_HK² =
 * max(1, q)/Σw*ᵢ with q = Σw*ᵢ(yᵢ − μ̂)²/(k − 1), on t with k − 1 df. The normal interval ignores the
 * uncertainty in τ̂² and under-covers badly when k is small (IntHout, Ioannidis & Borm 2014), which
 * matters for "k of 19" families; max(1, q) (Knapp & Hartung 2003) keeps it from ever being narrower
 * than the normal DL interval when the effects happen to agree more than their variances predict.
 *
 * Fewer than 2 effects give insufficient data: neither τ² nor the interval exists for one study.
 * Variances must be positive: drop insufficient benchmarks before pooling.
 */
export function derSimonianLaird(
  effects: readonly EffectWithVariance[],
  options: { readonly interval?: RandomEffectsInterval; readonly confidence?: number } = {},
): RandomEffectsSummary | InsufficientData {
  const interval = options.interval ?? 'hartung-knapp';
  const confidence = options.confidence ?? CONFIDENCE;
  if (!(confidence > 0 && confidence < 1)) throw new InvalidArgumentError(`confidence must lie in (0, 1), got ${confidence}`);
  effects.forEach(({ effect, variance }, i) => {
    if (!Number.isFinite(effect)) throw new InvalidArgumentError(`effect ${i} is ${effect}; effects must be finite`);
    if (!(variance > 0) || !Number.isFinite(variance)) {
      throw new InvalidArgumentError(`effect ${i} has variance ${variance}; pool only effects with a finite variance > 0`);
    }
  });
  const k = effects.length;
  if (k < 2) return insufficientData('too_few_effects', `${k} effect(s); a random-effects summary needs at least 2`);

  let sumW = 0;
  let sumW2 = 0;
  let sumWY = 0;
  for (const { effect, variance } of effects) {
    const w = 1 / variance;
    sumW += w;
    sumW2 += w * w;
    sumWY += w * effect;
  }
  const fixedMean = sumWY / sumW;
  let q = 0;
  for (const { effect, variance } of effects) q += (effect - fixedMean) ** 2 / variance;
  const tau2 = Math.max(0, (q - (k - 1)) / (sumW - sumW2 / sumW));
  const i2 = q > 0 ? Math.max(0, (q - (k - 1)) / q) : 0;

  let sumWStar = 0;
  let sumWStarY = 0;
  for (const { effect, variance } of effects) {
    const w = 1 / (variance + tau2);
    sumWStar += w;
    sumWStarY += w * effect;
  }
  const mean = sumWStarY / sumWStar;

  let se: number;
  let df: number;
  if (interval === 'normal') {
    se = 1 / Math.sqrt(sumWStar);
    df = Infinity;
  } else {
    let spread = 0;
    for (const { effect, variance } of effects) spread += (effect - mean) ** 2 / (variance + tau2);
    se = Math.sqrt(Math.max(1, spread / (k - 1)) / sumWStar);
    df = k - 1;
  }
  const p = 1 - (1 - confidence) / 2;
  const half = (df === Infinity ? normalQuantile(p) : tQuantile(p, df)) * se;
  return {
    kind: 'summary',
    k,
    mean,
    se,
    df,
    tau2,
    q,
    i2,
    ciLow: mean - half,
    ciHigh: mean + half,
    pValue: tTestPValue(mean, se, df) as number,
    interval,
  };
}

/**
 * The paired standardised effect d_z = Δ / s_d (Cohen 1988, §2.3): the mean paired difference in units
 * of the SD of per-item differences, so benchmarks scored on different scales can be pooled.
 *
 * Its large-sample variance is 1/n + d²/(2n) for n independent items. When the comparison's own SE
 * is given (cluster-robust or seed-level), the first term becomes (SE/s_d)², which equals 1/n in the
 * independent case and otherwise carries the clustering or seed noise into the pooled summary.
 *
 * Returns null when s_d = 0, fewer than 2 items or a given SE of 0: nothing to standardise by, or
 * no sampling error to weight by.
 */
export function pairedStandardisedEffect(args: {
  readonly delta: number;
  readonly sdOfDifferences: number;
  readonly items: number;
  readonly se?: number;
}): EffectWithVariance | null {
  const { delta, sdOfDifferences: sd, items: n, se } = args;
  if (!Number.isFinite(delta) || !(sd > 0) || !Number.isFinite(sd) || !(n >= 2)) return null;
  if (se !== undefined && !(se > 0 && Number.isFinite(se))) return null;
  const d = delta / sd;
  const sampling = se === undefined ? 1 / n : (se / sd) ** 2;
  return { effect: d, variance: sampling + (d * d) / (2 * n) };
}
