import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ArmPhase, ExperimentPhase } from './phases.js';

/** Sent by the training activity each time a checkpoint commits (COMPLETE marker seen). */
export interface CheckpointCommitted {
  readonly checkpointId: string;
  readonly step: number;
  readonly contentHash: string;
}
export const checkpointCommittedSignal = defineSignal<[CheckpointCommitted]>('checkpointCommitted');

/** Sent by an arm workflow to its experiment workflow at each phase change, so the experiment's query shows arm phases. */
export interface ArmPhaseChanged {
  readonly armId: string;
  readonly phase: ArmPhase;
}
export const armPhaseChangedSignal = defineSignal<[ArmPhaseChanged]>('armPhaseChanged');

export interface ArmStatus {
  readonly armId: string;
  readonly name: string;
  readonly phase: ArmPhase;
  readonly checkpointsSeen: number;
  readonly evaluationsStarted: number;
  readonly evaluationsDone: number;
}
export const armStatusQuery = defineQuery<ArmStatus>('armStatus');

export interface ExperimentStatus {
  readonly experimentId: string;
  readonly phase: ExperimentPhase;
  readonly arms: readonly { readonly armId: string; readonly name: string; readonly phase: ArmPhase }[];
}
export const experimentStatusQuery = defineQuery<ExperimentStatus>('experimentStatus');
