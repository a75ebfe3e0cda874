import { z } from 'zod';
import { oneOf, toFieldIssues } from '@ballast/schema';
import { FrameworkSpecError } from './errors.js';
import { DatasetFormat } from './framework.js';

// Control characters have no place in a path and would corrupt every config grammar we render into.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

const AbsolutePath = z
  .string()
  .min(1, 'must not be empty')
  .refine((p) => p.startsWith('/'), 'must be an absolute path')
  .refine((p) => !CONTROL_CHARS.test(p), 'must not contain control characters');

const PythonIdentifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a Python identifier');

/** The training algorithms the neutral spec can ask for. */
export const ALGORITHMS = ['grpo', 'ppo'] as const;
export const Algorithm = oneOf(ALGORITHMS);
export type Algorithm = z.infer<typeof Algorithm>;

export const DatasetShards = z.strictObject({
  /** Which framework's export of the mix the shards are; a renderer refuses any other. */
  format: DatasetFormat,
  /** The mix's shards in order; read as one stream (concatenated, no weights). */
  paths: z.array(AbsolutePath).min(1, 'give at least one shard'),
});
export type DatasetShards = z.infer<typeof DatasetShards>;

/**
 * A reward function in a Python file. Its signature is the chosen framework's own (verl
 * `compute_score`, OpenRLHF `reward_func`, TRL reward functions); Ballast only points at it.
 */
export const RewardFunction = z.strictObject({
  path: AbsolutePath.refine((p) => p.endsWith('.py'), "must name a '.py' file"),
  name: PythonIdentifier,
});
export type RewardFunction = z.infer<typeof RewardFunction>;

/**
 * One training run, independent of the framework that runs it. Optional fields left out keep the
 * framework's own default; the renderers never invent a value for them.
 */
export const TrainingSpec = z
  .strictObject({
    algorithm: Algorithm,
    /** Local directory of the base model (Hugging Face layout). */
    modelPath: AbsolutePath,
    dataset: DatasetShards,
    /** Optimizer steps (one per batch of prompts). */
    steps: z.number().int().positive().max(10_000_000),
    /** A native checkpoint every this many steps. */
    saveEvery: z.number().int().positive().max(10_000_000),
    seed: z.number().int().min(0).max(2 ** 31 - 1),
    nodes: z.number().int().positive().max(1024),
    gpusPerNode: z.number().int().positive().max(64),
    /** Where the framework writes its native outputs and checkpoints. */
    outputDir: AbsolutePath,
    learningRate: z.number().positive().max(1).optional(),
    /** KL coefficient against the reference model; 0 turns the KL term off. */
    klCoef: z.number().min(0).max(10).optional(),
    /** Samples per prompt. Required for GRPO, where it is the group size. */
    groupSize: z.number().int().positive().max(1024).optional(),
    /** Prompts per step. */
    batchSize: z.number().int().positive().max(1_000_000).optional(),
    /** Tokens. */
    maxPromptLength: z.number().int().positive().max(1_048_576).optional(),
    /** Tokens. */
    maxResponseLength: z.number().int().positive().max(1_048_576).optional(),
    reward: RewardFunction.optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.algorithm !== 'grpo') return;
    if (spec.groupSize === undefined) {
      ctx.addIssue({ code: 'custom', path: ['groupSize'], message: 'required for GRPO (samples per prompt, at least 2)' });
    } else if (spec.groupSize < 2) {
      ctx.addIssue({ code: 'custom', path: ['groupSize'], message: 'must be at least 2 for GRPO' });
    }
  });
export type TrainingSpec = z.infer<typeof TrainingSpec>;
export type TrainingSpecInput = z.input<typeof TrainingSpec>;

/** Validates a training spec; throws FrameworkSpecError naming every bad field. */
export function parseTrainingSpec(input: unknown): TrainingSpec {
  return parseOrThrow(TrainingSpec, input, 'training spec');
}

/** Validates `input` against `schema`; throws FrameworkSpecError whose issues are prefixed with `prefix`. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string, prefix: readonly PropertyKey[] = []): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw FrameworkSpecError.fromIssues(what, toFieldIssues(parsed.error.issues, prefix));
  return parsed.data;
}
