import { z } from 'zod';
import { BenchmarkCategory } from './vocabulary.js';
import { CommandTrainerSpec, DecodingSpec, ReferenceTrainerSpec } from './spec.js';
import { InspectHarness, LmEvalHarness } from './benchmark.js';
import { AbsolutePath, LaunchFramework, ReleaseVersionText } from './training.js';
import { EvalPressure } from './persistence.js';

/**
 * The job contract (docs/job-contract.md): what any training or eval program speaks so the platform
 * never depends on a workload's internals. Version 0.
 */
export const CONTRACT_VERSION = '0';

/** Environment variables the platform sets for every job. */
export const CONTRACT_ENV = {
  version: 'BALLAST_CONTRACT_VERSION',
  jobId: 'BALLAST_JOB_ID',
  attemptId: 'BALLAST_ATTEMPT_ID',
  jobSpec: 'BALLAST_JOB_SPEC',
  outputDir: 'BALLAST_OUTPUT_DIR',
  seed: 'BALLAST_SEED',
  resumeFrom: 'BALLAST_RESUME_FROM',
} as const;

/** Exit codes with stated meanings. Anything else is treated as a program error. */
export const CONTRACT_EXIT = {
  success: 0,
  programError: 1,
  badInput: 2,
} as const;

/** File names inside OUTPUT (BALLAST_OUTPUT_DIR). */
export const CONTRACT_FILES = {
  checkpointsDir: 'checkpoints',
  completeMarker: 'COMPLETE',
  metrics: 'metrics.jsonl',
  status: 'status.json',
  evalDir: 'eval',
} as const;

export const ContentHash = z.string().regex(/^sha256:[0-9a-f]{64}$/, "must be 'sha256:' + 64 hex digits");

/** `OUTPUT/checkpoints/step-<N>/COMPLETE`: written last; a checkpoint without it does not exist. */
export const CheckpointMarker = z.strictObject({
  contractVersion: z.literal(CONTRACT_VERSION),
  step: z.number().int().min(0),
  contentHash: ContentHash,
  committedAt: z.iso.datetime(),
});
export type CheckpointMarker = z.infer<typeof CheckpointMarker>;

/** One line of `OUTPUT/metrics.jsonl`. */
export const MetricsLine = z.strictObject({
  step: z.number().int().min(0),
  time: z.iso.datetime(),
  metrics: z.record(z.string(), z.number()),
});
export type MetricsLine = z.infer<typeof MetricsLine>;

/** `OUTPUT/status.json`, written once when the program ends (any way it can still write). */
export const JobStatusFile = z.strictObject({
  contractVersion: z.literal(CONTRACT_VERSION),
  jobId: z.string(),
  attemptId: z.string(),
  outcome: z.enum(['succeeded', 'failed', 'bad_input']),
  exitCode: z.number().int(),
  message: z.string().optional(),
  /** Training: last committed step. Eval: number of benchmarks written. */
  progress: z.record(z.string(), z.number()).default({}),
  finishedAt: z.iso.datetime(),
  simulated: z.boolean().default(false),
});
export type JobStatusFile = z.infer<typeof JobStatusFile>;

/** The spec file the SIMULATED reference trainer, and a configured command trainer, read (BALLAST_JOB_SPEC). */
export const TrainJobSpec = z.strictObject({
  contractVersion: z.literal(CONTRACT_VERSION),
  kind: z.literal('train'),
  /** The mixed dataset's canonical JSONL shards, in order: read as one stream, record by record. */
  datasetPaths: z.array(z.string().min(1)).min(1),
  baseCheckpoint: z.string(),
  /** The reference trainer's settings, or a configured command's (which reads this same spec). */
  trainer: z.discriminatedUnion('framework', [ReferenceTrainerSpec, CommandTrainerSpec]),
  seed: z.number().int().min(0),
});
export type TrainJobSpec = z.infer<typeof TrainJobSpec>;

/**
 * The spec file the framework runner reads (BALLAST_JOB_SPEC): a launch rendered by @ballast/frameworks
 * and prepared in the job directory, which the runner starts, watches and speaks the contract for.
 */
export const FrameworkTrainJobSpec = z.strictObject({
  contractVersion: z.literal(CONTRACT_VERSION),
  kind: z.literal('framework-train'),
  framework: LaunchFramework,
  /** The framework release the environment holds (picks OpenRLHF's dialect for resume flags). */
  version: ReleaseVersionText.optional(),
  /** argv (never a shell line) and the env merged over the contract's; run in `cwd`. */
  launch: z.strictObject({
    argv: z.array(z.string()).min(1),
    env: z.record(z.string(), z.string()),
    cwd: AbsolutePath,
  }),
  /** Where the framework writes its native checkpoints (the rendered output dir). */
  nativeOutputDir: AbsolutePath,
  steps: z.number().int().positive(),
  saveEvery: z.number().int().positive(),
  /** The environment's interpreter, for converting checkpoints and recording versions. */
  python: AbsolutePath,
});
export type FrameworkTrainJobSpec = z.infer<typeof FrameworkTrainJobSpec>;

/** What a checkpoint or evaluation ran with: recorded by the job, shown by the API. */
export const RuntimeEnvironment = z.strictObject({
  /** The configured environment's name. */
  name: z.string(),
  python: z.string(),
  pythonVersion: z.string(),
  /** Distribution name → version, for the packages that matter (framework or harness, torch, transformers). */
  packages: z.record(z.string(), z.string()),
});
export type RuntimeEnvironment = z.infer<typeof RuntimeEnvironment>;

/** One benchmark in a harness eval job, with every path resolved for the worker. */
export const HarnessBenchmarkInput = z.strictObject({
  ref: z.string(),
  category: BenchmarkCategory,
  metric: z.string(),
  direction: z.enum(['higher_is_better', 'lower_is_better']),
  harness: z.discriminatedUnion('kind', [
    InspectHarness.extend({ task: z.string().min(1) }),
    LmEvalHarness.extend({ includePath: AbsolutePath.optional() }),
  ]),
});
export type HarnessBenchmarkInput = z.infer<typeof HarnessBenchmarkInput>;

/** The spec file a harness eval job reads (BALLAST_JOB_SPEC). Results go to OUTPUT/eval/ as for any eval. */
export const HarnessEvalJobSpec = z.strictObject({
  contractVersion: z.literal(CONTRACT_VERSION),
  kind: z.literal('harness-eval'),
  /** A Hugging Face model directory. */
  checkpointPath: AbsolutePath,
  /** The environment's interpreter; harnesses run as `python -m inspect_ai` / `python -m lm_eval`. */
  python: AbsolutePath,
  environmentName: z.string(),
  benchmarks: z.array(HarnessBenchmarkInput).min(1),
  samplesPerItem: z.number().int().positive(),
  seed: z.number().int().min(0),
  limit: z.number().int().positive().optional(),
  decoding: DecodingSpec,
  device: z.enum(['cpu', 'cuda']).default('cpu'),
  /** Adversarial pressure the adapters apply to every item: a system message or a prompt wrapper; none when left out. */
  pressure: EvalPressure.optional(),
});
export type HarnessEvalJobSpec = z.infer<typeof HarnessEvalJobSpec>;

export const BenchmarkInput = z.strictObject({
  /** `id@version` */
  ref: z.string(),
  itemsPath: z.string().min(1),
});

/** The spec file an eval job reads (BALLAST_JOB_SPEC). Results go to OUTPUT/eval/. */
export const EvalJobSpec = z.strictObject({
  contractVersion: z.literal(CONTRACT_VERSION),
  kind: z.literal('eval'),
  checkpointPath: z.string().min(1),
  benchmarks: z.array(BenchmarkInput).min(1),
  samplesPerItem: z.number().int().positive(),
  seed: z.number().int().min(0),
  /** Adversarial pressure applied to every item (SIMULATED: `simulatedPressure` is added to each item's pressure); none when left out. */
  pressure: EvalPressure.optional(),
});
export type EvalJobSpec = z.infer<typeof EvalJobSpec>;

/**
 * The spec file an attack job reads (BALLAST_JOB_SPEC) on the SIMULATED reference workload: supervised
 * fine-tuning of `baseCheckpointPath` toward the attack records' responses, committing a checkpoint at
 * each of `saveSteps` through the job contract (resumable like training). Real models are attacked by
 * TRL SFT through the framework runner instead (a `framework-train` spec).
 */
export const AttackJobSpec = z.strictObject({
  contractVersion: z.literal(CONTRACT_VERSION),
  kind: z.literal('attack'),
  /** A committed reference checkpoint directory (params.json). */
  baseCheckpointPath: z.string().min(1),
  /** The attack data: JSONL files of attack records, read in order and cycled. */
  datasetPaths: z.array(z.string().min(1)).min(1),
  /** The last attack step; equals the largest of `saveSteps`. */
  steps: z.number().int().positive().max(100_000),
  /** Steps after which a checkpoint is committed, increasing, each ≥ 1. */
  saveSteps: z.array(z.number().int().positive()).min(1),
  batchSize: z.number().int().positive().max(4096),
  learningRate: z.number().positive().max(10),
  seed: z.number().int().min(0),
  /** SIMULATED only: wall-clock milliseconds each step sleeps. */
  simulatedStepMs: z.number().int().min(0).max(60_000).default(0),
});
export type AttackJobSpec = z.infer<typeof AttackJobSpec>;

/** One line of `OUTPUT/eval/<id>@<version>.items.jsonl`. Scores are in the metric's own direction. */
export const EvalItemResult = z.strictObject({
  itemId: z.string(),
  score: z.number(),
  /** Items that share a conversation form a cluster for clustered standard errors. */
  cluster: z.string().optional(),
});
export type EvalItemResult = z.infer<typeof EvalItemResult>;

/** `OUTPUT/eval/<id>@<version>.summary.json` */
export const EvalSummary = z.strictObject({
  contractVersion: z.literal(CONTRACT_VERSION),
  benchmark: z.string(),
  version: z.number().int().positive(),
  category: BenchmarkCategory,
  metric: z.string(),
  direction: z.enum(['higher_is_better', 'lower_is_better']),
  n: z.number().int().min(0),
  mean: z.number(),
  stderr: z.number().min(0),
  simulated: z.boolean(),
  /** Real harnesses: which one ran, and the environment it ran in. */
  harness: z.strictObject({ kind: z.enum(['inspect', 'lm-eval']), version: z.string() }).optional(),
  environment: RuntimeEnvironment.optional(),
  /** Samples scored per item (inspect epochs, lm-eval repeats); each item's score is their mean. */
  samplesPerItem: z.number().int().positive().optional(),
});
export type EvalSummary = z.infer<typeof EvalSummary>;

export function evalItemsFileName(ref: string): string {
  return `${ref}.items.jsonl`;
}
export function evalSummaryFileName(ref: string): string {
  return `${ref}.summary.json`;
}
export function checkpointDirName(step: number): string {
  return `step-${step}`;
}
