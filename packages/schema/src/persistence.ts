import { z } from 'zod';
import { BenchmarkCategory, oneOf } from './vocabulary.js';

/**
 * Persistence: how much of what trait training changed survives adversarial pressure and harmful
 * fine-tuning, and whether the model still follows benign instructions (docs/statistics.md,
 * "Selective persistence"). This file holds the shapes; the registry of pressure conditions lives in
 * @ballast/benchmarks, the jobs in @ballast/activities.
 */

/** `id@version` of a pressure condition, e.g. `persona-strong@1`. */
export const PressureRef = z.string().regex(/^[a-z0-9][a-z0-9-]*@[0-9]+$/, "must be 'condition-id@version'");
export type PressureRef = z.infer<typeof PressureRef>;

export const PRESSURE_KINDS = ['none', 'system-message', 'prompt-wrapper'] as const;

/**
 * One adversarial pressure condition, immutable once registered (a change is a new version). Real
 * harness adapters apply `systemMessage` (a system turn before the item's own) or `promptWrapper` (the
 * item's user prompt is substituted for `{prompt}`); the SIMULATED reference evaluator adds
 * `simulatedPressure` to every item's pressure feature instead.
 */
export const PressureCondition = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    version: z.number().int().positive(),
    /** Order on the pressure axis of a curve: 0 is no pressure; higher is stronger. */
    level: z.number().int().min(0).max(100),
    label: z.string().min(1).max(80),
    description: z.string().max(2000),
    kind: oneOf(PRESSURE_KINDS),
    systemMessage: z.string().min(1).max(20_000).optional(),
    /** Contains `{prompt}` exactly once. */
    promptWrapper: z.string().min(1).max(20_000).optional(),
    /** SIMULATED reference evaluator only: pressure added to each item's own (0..1). */
    simulatedPressure: z.number().min(0).max(1),
  })
  .superRefine((c, ctx) => {
    if (c.kind === 'system-message' && c.systemMessage === undefined) ctx.addIssue({ code: 'custom', path: ['systemMessage'], message: "is required for kind 'system-message'" });
    if (c.kind === 'prompt-wrapper' && (c.promptWrapper === undefined || c.promptWrapper.split('{prompt}').length !== 2)) {
      ctx.addIssue({ code: 'custom', path: ['promptWrapper'], message: "must contain '{prompt}' exactly once for kind 'prompt-wrapper'" });
    }
    if (c.kind === 'none' && (c.systemMessage !== undefined || c.promptWrapper !== undefined || c.simulatedPressure !== 0)) {
      ctx.addIssue({ code: 'custom', path: ['kind'], message: "kind 'none' applies nothing" });
    }
  });
export type PressureCondition = z.infer<typeof PressureCondition>;

export function pressureRef(c: Pick<PressureCondition, 'id' | 'version'>): string {
  return `${c.id}@${c.version}`;
}

/** What an eval job applies to every item: the condition, as the job needs it. */
export const EvalPressure = z.strictObject({
  ref: PressureRef,
  kind: oneOf(PRESSURE_KINDS),
  systemMessage: z.string().optional(),
  promptWrapper: z.string().optional(),
  simulatedPressure: z.number().min(0).max(1),
});
export type EvalPressure = z.infer<typeof EvalPressure>;

const Name = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit');
const BenchmarkRefText = z.string().regex(/^[a-z0-9][a-z0-9-]*@[0-9]+$/, "must be 'benchmark-id@version'");

/** One harmful fine-tuning attack: supervised fine-tuning on `dataset` from each stressed arm's final checkpoint. */
export const AttackSpec = z
  .strictObject({
    name: Name,
    /** Key into `spec.datasets`: a `file:///` JSONL of attack conversations (docs/configuration.md, "Attack data"). */
    dataset: Name,
    /** Attack steps at which the attacked model is evaluated; 0 is the arm's own final checkpoint. */
    steps: z.array(z.number().int().min(0).max(100_000)).min(2).max(16),
    /** Records per attack step. */
    batchSize: z.number().int().positive().max(4096).default(8),
    /** Left out: the trainer's default for SFT (the reference attack uses 0.5; TRL its own). */
    learningRate: z.number().positive().max(10).optional(),
  })
  .superRefine((a, ctx) => {
    const sorted = [...a.steps].sort((x, y) => x - y);
    if (sorted.some((s, i) => i > 0 && s === sorted[i - 1])) ctx.addIssue({ code: 'custom', path: ['steps'], message: 'lists a step twice' });
    if (sorted.join(',') !== a.steps.join(',')) ctx.addIssue({ code: 'custom', path: ['steps'], message: 'must be in increasing order' });
    if (a.steps[0] !== 0) ctx.addIssue({ code: 'custom', path: ['steps', 0], message: 'must be 0: the unattacked checkpoint anchors the curve' });
  });
export type AttackSpec = z.infer<typeof AttackSpec>;

/**
 * `spec.persistence`: which benchmarks are stressed, under which pressure conditions, by which attacks,
 * and which benchmarks measure helpful steering. Left out: no persistence work.
 */
export const PersistenceSpec = z
  .strictObject({
    /** Benchmarks measuring harm under pressure and after attacks (the "harmful" side). */
    benchmarks: z.array(BenchmarkRefText).min(1).max(64),
    /** Benign-instruction benchmarks (format, tone, role) that an arm should still follow. */
    steering: z.array(BenchmarkRefText).min(1).max(64),
    /** Pressure conditions, each evaluated on the final checkpoint; must start with the registry's level 0. Default: every registered condition. */
    pressure: z.array(PressureRef).min(1).max(16).optional(),
    attacks: z.array(AttackSpec).max(8).default([]),
    /** Arms whose runs are stressed; default: every arm. */
    arms: z.array(Name).min(1).optional(),
  })
  .superRefine((p, ctx) => {
    const names = new Set<string>();
    p.attacks.forEach((a, i) => {
      if (names.has(a.name)) ctx.addIssue({ code: 'custom', path: ['attacks', i, 'name'], message: `attack name '${a.name}' is used twice` });
      names.add(a.name);
    });
    for (const field of ['benchmarks', 'steering', 'pressure'] as const) {
      const list = p[field] ?? [];
      list.forEach((ref, i) => {
        if (list.indexOf(ref) < i) ctx.addIssue({ code: 'custom', path: [field, i], message: `lists '${ref}' twice` });
      });
    }
    const both = p.benchmarks.filter((b) => p.steering.includes(b));
    if (both.length > 0) ctx.addIssue({ code: 'custom', path: ['steering'], message: `${both.join(', ')} cannot be both a harmful-pressure and a steering benchmark` });
  });
export type PersistenceSpec = z.infer<typeof PersistenceSpec>;


/** The categories whose benchmarks make sense as the harmful side of persistence (all but capability and helpfulness). */
export function isHarmCategory(category: BenchmarkCategory): boolean {
  return category !== 'capability' && category !== 'helpfulness';
}
