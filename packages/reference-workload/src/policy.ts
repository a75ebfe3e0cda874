import { createHash } from 'node:crypto';
import { DOMAINS, TRAITS, canonicalJson } from '@ballast/schema';
import { BEHAVIOURS, BEHAVIOUR_COUNT } from './behaviours.js';
import type { RecordFeatures } from './features.js';
import type { Rng } from './rng.js';

export const INITIAL_POLICY_URI = 'reference://init';

/**
 * Parameters of the SIMULATED parametric policy, one vector of BEHAVIOUR_COUNT logits per block:
 * logits(x) = bias + trait[x.trait] + domain[x.domain] + x.pressure * pressure.
 * `bias` and `pressure` are shared by every record and `trait` by every domain; those shared blocks are
 * the only route by which training on some domains or traits can move behaviour on others.
 */
export interface PolicyParams {
  readonly format: 'ballast-reference-policy';
  readonly simulated: true;
  readonly behaviours: readonly string[];
  bias: number[];
  pressure: number[];
  trait: Record<string, number[]>;
  domain: Record<string, number[]>;
}

// A "pretrained" starting point: helpful when unpressed. When the user pushes, plain task-doing stops
// being an option (the turn is now about the disagreement) and the model splits between holding its
// ground, caving and bluffing, as instruction-tuned models do before any trait training.
const INIT_BIAS = [1.2, 0.2, -0.2, -1.0, 0.1, -0.9, -0.6];
const INIT_PRESSURE = [-2.5, 0.3, 1.5, 0.5, 0.5, 0.3, 0.3];

export function initialPolicy(): PolicyParams {
  const zeros = () => new Array<number>(BEHAVIOUR_COUNT).fill(0);
  return {
    format: 'ballast-reference-policy',
    simulated: true,
    behaviours: [...BEHAVIOURS],
    bias: [...INIT_BIAS],
    pressure: [...INIT_PRESSURE],
    trait: Object.fromEntries(TRAITS.map((t) => [t, zeros()])),
    domain: Object.fromEntries(DOMAINS.map((d) => [d, zeros()])),
  };
}

export function clonePolicy(p: PolicyParams): PolicyParams {
  return JSON.parse(JSON.stringify(p)) as PolicyParams;
}

export function logits(p: PolicyParams, x: RecordFeatures): number[] {
  const t = x.trait === null ? undefined : p.trait[x.trait];
  const d = p.domain[x.domain];
  return p.bias.map((b, i) => b + (t?.[i] ?? 0) + (d?.[i] ?? 0) + x.pressure * p.pressure[i]!);
}

export function softmax(z: readonly number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

export function behaviourProbs(p: PolicyParams, x: RecordFeatures): number[] {
  return softmax(logits(p, x));
}

export function sampleBehaviour(probs: readonly number[], rng: Rng): number {
  return rng.weighted(probs);
}

/** Adds `scale * g` (a gradient on the logits of features x) to every parameter block x touches. */
export function addLogitGradient(p: PolicyParams, x: RecordFeatures, g: readonly number[], scale: number): void {
  const t = x.trait === null ? undefined : p.trait[x.trait];
  const d = p.domain[x.domain];
  for (let i = 0; i < BEHAVIOUR_COUNT; i++) {
    const gi = scale * g[i]!;
    p.bias[i]! += gi;
    p.pressure[i]! += gi * x.pressure;
    if (t) t[i]! += gi;
    if (d) d[i]! += gi;
  }
}

/** Serialised with sorted keys, so equal parameters give equal bytes and equal checkpoint hashes. */
export function serializePolicy(p: PolicyParams): string {
  return `${canonicalJson(p)}\n`;
}

export function parsePolicy(text: string): PolicyParams {
  const p = JSON.parse(text) as PolicyParams;
  if (p.format !== 'ballast-reference-policy' || canonicalJson(p.behaviours) !== canonicalJson(BEHAVIOURS)) {
    throw new Error('not a reference policy parameter file for this behaviour set');
  }
  return p;
}

/** Content hash standing in for a checkpoint hash when the policy is `reference://init`. */
export function initialPolicyHash(): string {
  return `sha256:${createHash('sha256').update(serializePolicy(initialPolicy())).digest('hex')}`;
}
