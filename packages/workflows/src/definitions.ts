import { defineQuery, defineSignal } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Everything that workflows, workers and clients must agree on: search attributes, signals, queries and
 * the default task queue. Declared here once; the embedded Temporal registers the search attributes
 * from `SEARCH_ATTRIBUTE_TYPES`.
 */
export const DEFAULT_TASK_QUEUE = 'ballast';

export const searchAttributes = {
  experimentId: defineSearchAttributeKey('BallastExperimentId', SearchAttributeType.KEYWORD),
  arm: defineSearchAttributeKey('BallastArm', SearchAttributeType.KEYWORD),
  phase: defineSearchAttributeKey('BallastPhase', SearchAttributeType.KEYWORD),
  backend: defineSearchAttributeKey('BallastBackend', SearchAttributeType.KEYWORD),
} as const;

/** name → type, in the spelling `temporal server start-dev --search-attribute` takes. */
export const SEARCH_ATTRIBUTE_TYPES: Readonly<Record<string, string>> = {
  BallastExperimentId: 'Keyword',
  BallastArm: 'Keyword',
  BallastPhase: 'Keyword',
  BallastBackend: 'Keyword',
};

/** Sent by the training activity each time a checkpoint commits (COMPLETE marker seen). */
export interface CheckpointCommitted {
  readonly checkpointId: string;
  readonly step: number;
  readonly contentHash: string;
}
export const checkpointCommittedSignal = defineSignal<[CheckpointCommitted]>('checkpointCommitted');

export interface ArmStatus {
  readonly armId: string;
  readonly name: string;
  readonly phase: string;
  readonly checkpointsSeen: number;
  readonly evaluationsStarted: number;
  readonly evaluationsDone: number;
}
export const armStatusQuery = defineQuery<ArmStatus>('armStatus');

export interface ExperimentStatus {
  readonly experimentId: string;
  readonly phase: string;
  readonly arms: readonly { readonly armId: string; readonly name: string; readonly phase: string }[];
}
export const experimentStatusQuery = defineQuery<ExperimentStatus>('experimentStatus');

/** The Temporal Schedule that runs `reconcileWorkflow`; the worker creates or updates it at start. */
export const RECONCILE_SCHEDULE_ID = 'ballast-reconcile';
