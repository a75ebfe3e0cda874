import type { MixPreview } from '@ballast/schema';
import type { ArmPhase, ExperimentPhase } from './phases.js';

/**
 * The activity interface as workflows see it. Workflows proxy these types; @ballast/activities
 * implements them (`createActivities` returns `BallastActivities`, so a mismatch fails to compile).
 */
export interface PreparedMix {
  readonly mixId: string;
  readonly records: number;
  readonly cacheHit: boolean;
}

export interface TrainingOutcome {
  readonly jobId: string;
  readonly attempts: number;
  readonly finalStep: number;
  readonly recordsSeen: number;
  readonly checkpoints: readonly { checkpointId: string; step: number; contentHash: string }[];
  /** Set when an identical earlier run's checkpoints were reused instead of training (no job ran). */
  readonly reusedFrom?: { readonly armId: string; readonly experimentId: string };
}

export interface EvaluationOutcome {
  readonly checkpointId: string;
  readonly evaluated: number;
  readonly cached: number;
}

export interface ReportOutcome {
  readonly reportId: string;
  readonly improved: number;
  readonly total: number;
}

export interface ReconciliationSummary {
  readonly runId: number;
  readonly findings: number;
  readonly orphansCancelled: number;
  readonly markedLost: number;
  readonly finalStatesRecorded: number;
}

/** One checkpoint evaluation; persistence names its own benchmarks and a pressure condition (`id@version`). */
export interface EvaluationInput {
  readonly experimentId: string;
  readonly armId: string;
  readonly checkpointId: string;
  readonly benchmarks?: readonly string[];
  readonly pressure?: string;
}

/** The persistence work of one run, as its experiment locked it; `stressed: false` when there is none. */
export interface PersistencePlan {
  readonly stressed: boolean;
  /** Harm-side benchmarks, evaluated under every pressure condition and after every attack step. */
  readonly benchmarks: readonly string[];
  /** Steering benchmarks, evaluated without pressure at every attack step. */
  readonly steering: readonly string[];
  /** Pressure conditions (`id@version`) that apply something, by level; the level-0 point is the unpressured evaluation. */
  readonly pressure: readonly string[];
  readonly attacks: readonly { readonly name: string; readonly steps: readonly number[] }[];
}

export interface AttackOutcome {
  readonly attack: string;
  /** The attacked checkpoints at the attack's listed steps (step 0, the unattacked one, is not among them). */
  readonly checkpoints: readonly { checkpointId: string; step: number; contentHash: string }[];
  /** Set when an identical earlier attack's checkpoints were reused (no job ran). */
  readonly reusedFrom?: { readonly armId: string; readonly experimentId: string };
}

export interface BallastActivities {
  setExperimentPhase(input: { experimentId: string; phase: ExperimentPhase; error?: string | null }): Promise<void>;
  setArmPhase(input: { armId: string; phase: ArmPhase }): Promise<void>;
  prepareArmMix(input: { experimentId: string; armId: string }): Promise<PreparedMix>;
  runTrainingJob(input: { experimentId: string; armId: string }): Promise<TrainingOutcome>;
  evaluateCheckpoint(input: EvaluationInput): Promise<EvaluationOutcome>;
  persistencePlan(input: { experimentId: string; armId: string }): Promise<PersistencePlan>;
  /** Runs (or reuses) one harmful fine-tuning attack from the arm's final checkpoint. */
  runAttackJob(input: { experimentId: string; armId: string; attack: string }): Promise<AttackOutcome>;
  computeReport(input: { experimentId: string }): Promise<ReportOutcome>;
  buildStandaloneMix(input: { buildId: string }): Promise<{ mixId: string; cacheHit: boolean }>;
  /** Returns the mixing engine's preview (counts, coverage, estimated size, warnings). */
  previewStandaloneMix(input: { spec: unknown }): Promise<MixPreview>;
  /** One reconciliation pass over every configured backend (orphans, LOST jobs). */
  reconcileBackends(): Promise<ReconciliationSummary>;
}
