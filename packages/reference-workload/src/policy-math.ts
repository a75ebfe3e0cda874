import type { PolicyParams } from './policy.js';

/** A parameter-shaped accumulator of zeros, for summing a batch's gradient before one update. */
export function zeroLike(p: PolicyParams): PolicyParams {
  const z = (v: readonly number[]) => v.map(() => 0);
  return {
    ...p,
    bias: z(p.bias),
    pressure: z(p.pressure),
    trait: Object.fromEntries(Object.entries(p.trait).map(([k, v]) => [k, z(v)])),
    domain: Object.fromEntries(Object.entries(p.domain).map(([k, v]) => [k, z(v)])),
  };
}

/** p += scale * g, block by block. */
export function addScaled(p: PolicyParams, g: PolicyParams, scale: number): void {
  const add = (a: number[], b: readonly number[] | undefined) => {
    if (b) for (let i = 0; i < a.length; i++) a[i]! += scale * b[i]!;
  };
  add(p.bias, g.bias);
  add(p.pressure, g.pressure);
  for (const [k, v] of Object.entries(p.trait)) add(v, g.trait[k]);
  for (const [k, v] of Object.entries(p.domain)) add(v, g.domain[k]);
}

/** KL(p || q) and its gradient with respect to the logits behind p. */
export function klAndGradient(p: readonly number[], q: readonly number[]): { kl: number; grad: number[] } {
  const logRatio = p.map((pi, i) => Math.log(pi / q[i]!));
  const kl = p.reduce((s, pi, i) => s + pi * logRatio[i]!, 0);
  return { kl, grad: p.map((pi, i) => pi * (logRatio[i]! - kl)) };
}

/** How many records of a batch touched each block; the trainer averages each block over its own records. */
export interface BlockCounts {
  shared: number;
  trait: Record<string, number>;
  domain: Record<string, number>;
}

/**
 * p += scale * g / count, per block. Averaging a block over only the records that touched it (as
 * embedding rows are updated) lets a trait seen in one record of a batch learn from it at full
 * strength instead of being diluted by the records that never touch it.
 */
export function addBlockMean(p: PolicyParams, g: PolicyParams, counts: BlockCounts, scale: number): void {
  const add = (a: number[], b: readonly number[] | undefined, n: number | undefined) => {
    if (b && n) for (let i = 0; i < a.length; i++) a[i]! += (scale * b[i]!) / n;
  };
  add(p.bias, g.bias, counts.shared);
  add(p.pressure, g.pressure, counts.shared);
  for (const [k, v] of Object.entries(p.trait)) add(v, g.trait[k], counts.trait[k]);
  for (const [k, v] of Object.entries(p.domain)) add(v, g.domain[k], counts.domain[k]);
}
