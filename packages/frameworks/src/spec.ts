import { z } from 'zod';
import { toFieldIssues, TrainingLaunchSpec, type TrainingLaunchSpecInput } from '@ballast/schema';
import { FrameworkSpecError } from './errors.js';

/**
 * The neutral training spec is `TrainingLaunchSpec` in @ballast/schema: one vocabulary with the
 * experiment spec's `trainer` (algorithms, dataset format names). Re-exported here under the name the
 * renderers have always used.
 */
export { TRAINING_ALGORITHMS as ALGORITHMS, TrainingAlgorithm as Algorithm, DatasetShards, RewardFunction } from '@ballast/schema';
export const TrainingSpec = TrainingLaunchSpec;
export type TrainingSpec = z.infer<typeof TrainingLaunchSpec>;
export type TrainingSpecInput = TrainingLaunchSpecInput;

/** Validates a training spec; throws FrameworkSpecError naming every bad field. */
export function parseTrainingSpec(input: unknown): TrainingSpec {
  return parseOrThrow(TrainingLaunchSpec, input, 'training spec');
}

/** Validates `input` against `schema`; throws FrameworkSpecError whose issues are prefixed with `prefix`. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string, prefix: readonly PropertyKey[] = []): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw FrameworkSpecError.fromIssues(what, toFieldIssues(parsed.error.issues, prefix));
  return parsed.data;
}
