import { z } from 'zod';
import { oneOf } from './vocabulary.js';

/**
 * One training vocabulary for every trainer: the experiment spec's `trainer` (spec.ts) and the neutral
 * launch spec that `@ballast/frameworks` renders (TrainingLaunchSpec below) use these names.
 */
export const TRAINING_ALGORITHMS = ['grpo', 'ppo', 'reinforce'] as const;
export const TrainingAlgorithm = oneOf(TRAINING_ALGORITHMS);
export type TrainingAlgorithm = z.infer<typeof TrainingAlgorithm>;

/** Every `trainer.framework`. `reference` is the SIMULATED trainer; `command` is a configured program. */
export const TRAINER_FRAMEWORKS = ['reference', 'trl', 'verl', 'openrlhf', 'command'] as const;
export const TrainerFramework = oneOf(TRAINER_FRAMEWORKS);
export type TrainerFramework = z.infer<typeof TrainerFramework>;

/** The real frameworks whose launches `@ballast/frameworks` renders. */
export const LAUNCH_FRAMEWORKS = ['trl', 'verl', 'openrlhf'] as const;
export const LaunchFramework = oneOf(LAUNCH_FRAMEWORKS);
export type LaunchFramework = z.infer<typeof LaunchFramework>;

// Control characters have no place in a path and would corrupt every config grammar we render into.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export const AbsolutePath = z
  .string()
  .min(1, 'must not be empty')
  .max(4096, 'must be at most 4096 characters')
  .refine((p) => p.startsWith('/'), 'must be an absolute path')
  .refine((p) => !CONTROL_CHARS.test(p), 'must not contain control characters');

export const PythonIdentifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be a Python identifier');

/** A release version such as `1.16.0` or `0.10.2`; picks a framework's flag dialect where it has several. */
export const ReleaseVersionText = z.string().regex(/^[0-9]+\.[0-9]+(\.[0-9]+)?([.+-][0-9A-Za-z.+-]*)?$/, "must be a release version such as '0.10.2'");

/** Names of configured things (environments, commands): what a spec may pick, never a path. */
export const ConfigName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1-63 lowercase letters, digits, dashes or underscores');

/**
 * Extra framework options, the escape hatch: key → scalar, rendered in the framework's own grammar
 * (TRL: GRPOConfig YAML keys; verl: Hydra override keys; OpenRLHF: flags without the leading dashes).
 * Each renderer refuses keys it sets itself and values its grammar cannot carry.
 */
export const FrameworkOptionKey = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/, 'must be an option name (letters, digits, _ . -)');
export const FrameworkOptionValue = z.union([z.string().max(4096), z.number().finite(), z.boolean()]);
export const FrameworkOptions = z.record(FrameworkOptionKey, FrameworkOptionValue);
export type FrameworkOptions = z.infer<typeof FrameworkOptions>;

/**
 * A reward function in a Python file (as resolved on the worker: an absolute path). Its signature is
 * the chosen framework's own (verl `compute_score`, OpenRLHF `reward_func`, TRL reward functions).
 */
export const RewardFunction = z.strictObject({
  path: AbsolutePath.refine((p) => p.endsWith('.py'), "must name a '.py' file"),
  name: PythonIdentifier,
});
export type RewardFunction = z.infer<typeof RewardFunction>;

/** The mix export a framework reads: the same names as the mix output formats (`mix.output.formats`). */
export const LaunchDatasetFormat = oneOf(LAUNCH_FRAMEWORKS);
export type LaunchDatasetFormat = z.infer<typeof LaunchDatasetFormat>;

export const DatasetShards = z.strictObject({
  /** Which framework's export of the mix the shards are; a renderer refuses any other. */
  format: LaunchDatasetFormat,
  /** The mix's shards in order; read as one stream (concatenated, no weights). */
  paths: z.array(AbsolutePath).min(1, 'give at least one shard'),
});
export type DatasetShards = z.infer<typeof DatasetShards>;

/**
 * One training run as a framework launch, independent of the framework that runs it: the experiment
 * trainer's settings plus where things are. Optional fields left out keep the framework's own default;
 * the renderers never invent a value for them.
 */
export const TrainingLaunchSpec = z
  .strictObject({
    algorithm: TrainingAlgorithm,
    /** Local directory of the base model (Hugging Face layout). */
    modelPath: AbsolutePath,
    dataset: DatasetShards,
    /** Optimizer steps (one per batch of prompts). */
    steps: z.number().int().positive().max(10_000_000),
    /** A native checkpoint every this many steps. */
    saveEvery: z.number().int().positive().max(10_000_000),
    seed: z.number().int().min(0).max(2 ** 31 - 1),
    nodes: z.number().int().positive().max(1024),
    /** 0: train on CPU (one process per node). */
    gpusPerNode: z.number().int().min(0).max(64),
    /** Where the framework writes its native outputs and checkpoints. */
    outputDir: AbsolutePath,
    /** The Python interpreter of the environment the launch runs in; `python3` on PATH when absent. */
    python: AbsolutePath.optional(),
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
    /** Extra framework options; see FrameworkOptions. */
    options: FrameworkOptions.default({}),
  })
  .superRefine((spec, ctx) => {
    if (spec.algorithm !== 'grpo') return;
    if (spec.groupSize === undefined) {
      ctx.addIssue({ code: 'custom', path: ['groupSize'], message: 'required for GRPO (samples per prompt, at least 2)' });
    } else if (spec.groupSize < 2) {
      ctx.addIssue({ code: 'custom', path: ['groupSize'], message: 'must be at least 2 for GRPO' });
    }
  });
export type TrainingLaunchSpec = z.infer<typeof TrainingLaunchSpec>;
export type TrainingLaunchSpecInput = z.input<typeof TrainingLaunchSpec>;
