import { z } from 'zod';

/**
 * Every entity id carries a prefix naming its kind, so an id pasted into the wrong place fails
 * validation instead of silently matching nothing. Temporal workflow ids are derived from these
 * (@ballast/workflow-contract `workflowIds`).
 */
export const ID_PREFIX = {
  experiment: 'exp',
  arm: 'arm',
  job: 'job',
  attempt: 'att',
  checkpoint: 'ckpt',
  evaluation: 'eval',
  report: 'rep',
  mix: 'mix',
  dataset: 'ds',
  mixBuild: 'mixb',
} as const;
export type IdKind = keyof typeof ID_PREFIX;

const ID_BODY = /^[0-9a-z]{8,64}$/;

function idSchema<K extends IdKind>(kind: K) {
  const prefix = ID_PREFIX[kind];
  return z
    .string()
    .refine((v) => v.startsWith(`${prefix}_`) && ID_BODY.test(v.slice(prefix.length + 1)), {
      message: `must be a ${kind} id: '${prefix}_' followed by 8-64 lowercase letters or digits`,
    })
    .brand<`${K}Id`>();
}

export const ExperimentId = idSchema('experiment');
export type ExperimentId = z.infer<typeof ExperimentId>;
export const ArmId = idSchema('arm');
export type ArmId = z.infer<typeof ArmId>;
export const JobId = idSchema('job');
export type JobId = z.infer<typeof JobId>;
export const AttemptId = idSchema('attempt');
export type AttemptId = z.infer<typeof AttemptId>;
export const CheckpointId = idSchema('checkpoint');
export type CheckpointId = z.infer<typeof CheckpointId>;
export const EvaluationId = idSchema('evaluation');
export type EvaluationId = z.infer<typeof EvaluationId>;
export const ReportId = idSchema('report');
export type ReportId = z.infer<typeof ReportId>;
export const MixId = idSchema('mix');
export type MixId = z.infer<typeof MixId>;
export const DatasetId = idSchema('dataset');
export type DatasetId = z.infer<typeof DatasetId>;

/** Builds an id of `kind` from an already random or content-derived body (lowercase base36/hex). */
export function makeId<K extends IdKind>(kind: K, body: string): string {
  const clean = body.toLowerCase().replace(/[^0-9a-z]/g, '').slice(0, 32);
  if (clean.length < 8) throw new Error(`id body too short for ${kind}: '${body}'`);
  return `${ID_PREFIX[kind]}_${clean}`;
}

/** The backend idempotency key of attempt `attemptNumber` of a job: one launch per key, ever. */
export function attemptKey(jobId: string, attemptNumber: number): string {
  return `${jobId}-a${attemptNumber}`;
}
