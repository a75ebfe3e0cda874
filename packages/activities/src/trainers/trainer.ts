import type { RayOnSlurm } from '@ballast/backends';
import type { MixManifest, ResolvedArm, ResolvedExperimentSpec } from '@ballast/schema';
import type { ActivityDeps } from '../deps.js';

/** Everything a trainer needs to prepare an arm's training job. */
export interface TrainerInput {
  readonly deps: ActivityDeps;
  readonly spec: ResolvedExperimentSpec;
  readonly arm: ResolvedArm;
  readonly manifest: MixManifest;
  readonly jobId: string;
  /** The job's OUTPUT directory (contract files, checkpoints, and the launch's working directory). */
  readonly outputDir: string;
}

/** A prepared training job: what the backend runs, with the spec file it reads. */
export interface PreparedTrainingJob {
  /** argv, never a shell line. */
  readonly command: readonly string[];
  /** Merged over the contract's environment variables. */
  readonly env: Readonly<Record<string, string>>;
  /** The job spec (BALLAST_JOB_SPEC), already written. */
  readonly specUri: string;
  /** Slurm only: a Ray cluster across the job's nodes, for frameworks that run on Ray (multi-node verl, OpenRLHF). */
  readonly distributed?: RayOnSlurm;
}

/**
 * One interface for every `trainer.framework`: the SIMULATED reference trainer, the real frameworks
 * (rendered by @ballast/frameworks, run by the framework runner), and configured commands. The job
 * lifecycle around it (submission, retries, requeue, cancel, usage) is the same for all.
 */
export interface Trainer {
  prepare(input: TrainerInput): Promise<PreparedTrainingJob>;
}
