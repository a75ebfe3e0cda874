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

export interface BallastActivities {
  setExperimentPhase(input: { experimentId: string; phase: ExperimentPhase; error?: string | null }): Promise<void>;
  setArmPhase(input: { armId: string; phase: ArmPhase }): Promise<void>;
  prepareArmMix(input: { experimentId: string; armId: string }): Promise<PreparedMix>;
  runTrainingJob(input: { experimentId: string; armId: string }): Promise<TrainingOutcome>;
  evaluateCheckpoint(input: { experimentId: string; armId: string; checkpointId: string }): Promise<EvaluationOutcome>;
  computeReport(input: { experimentId: string }): Promise<ReportOutcome>;
  buildStandaloneMix(input: { buildId: string }): Promise<{ mixId: string; cacheHit: boolean }>;
  /** Returns the mixing engine's preview (counts, coverage, estimated size, warnings). */
  previewStandaloneMix(input: { spec: unknown }): Promise<MixPreview>;
  /** One reconciliation pass over every configured backend (orphans, LOST jobs). */
  reconcileBackends(): Promise<ReconciliationSummary>;
}
