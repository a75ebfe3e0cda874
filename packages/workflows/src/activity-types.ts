import type { MixPreview } from '@ballast/schema';

/**
 * The activity interface as workflows see it. Workflows import only these types; the implementations
 * live in @ballast/activities, which satisfies this interface (checked there at compile time).
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

export interface ReconciliationSummary {
  readonly runId: number;
  readonly findings: number;
  readonly orphansCancelled: number;
  readonly markedLost: number;
  readonly finalStatesRecorded: number;
}

export interface BallastActivities {
  setExperimentPhase(input: { experimentId: string; phase: string; error?: string | null }): Promise<void>;
  setArmPhase(input: { armId: string; phase: string }): Promise<void>;
  prepareArmMix(input: { experimentId: string; armId: string }): Promise<PreparedMix>;
  runTrainingJob(input: { experimentId: string; armId: string }): Promise<TrainingOutcome>;
  evaluateCheckpoint(input: { experimentId: string; armId: string; checkpointId: string }): Promise<EvaluationOutcome>;
  computeReport(input: { experimentId: string }): Promise<{ reportId: string; improved: number; total: number }>;
  buildStandaloneMix(input: { buildId: string }): Promise<{ mixId: string; cacheHit: boolean }>;
  /** Returns the mixing engine's preview (counts, coverage, estimated size, warnings). */
  previewStandaloneMix(input: { spec: unknown }): Promise<MixPreview>;
  /** One reconciliation pass over every configured backend (orphans, LOST jobs); see reconcile.ts. */
  reconcileBackends(): Promise<ReconciliationSummary>;
}
