import { z } from 'zod';
import { BenchmarkCategory } from './vocabulary.js';
import { TrainerSpec } from './spec.js';

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

/** The spec file a training job reads (BALLAST_JOB_SPEC). */
export const TrainJobSpec = z.strictObject({
  contractVersion: z.literal(CONTRACT_VERSION),
  kind: z.literal('train'),
  /** The mixed dataset's canonical JSONL shards, in order: read as one stream, record by record. */
  datasetPaths: z.array(z.string().min(1)).min(1),
  baseCheckpoint: z.string(),
  trainer: TrainerSpec,
  seed: z.number().int().min(0),
});
export type TrainJobSpec = z.infer<typeof TrainJobSpec>;

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
});
export type EvalJobSpec = z.infer<typeof EvalJobSpec>;

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
