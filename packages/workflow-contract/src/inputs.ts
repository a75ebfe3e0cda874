/** Workflow inputs and results. Kept small: workflows carry ids, and activities read the rest from the database. */

/** 'all': evaluate each checkpoint as it commits; 'final': only the last one. */
export type EvaluateCheckpoints = 'all' | 'final';

export interface ExperimentWorkflowInput {
  readonly experimentId: string;
  readonly backend: string;
  /** `persistence`: the run is stressed (spec.persistence.arms names its arm). */
  readonly arms: readonly { readonly armId: string; readonly name: string; readonly persistence?: boolean }[];
  readonly evaluateCheckpoints: EvaluateCheckpoints;
}

export interface ExperimentWorkflowResult {
  readonly reportId: string;
}

export interface ArmWorkflowInput {
  readonly experimentId: string;
  readonly armId: string;
  readonly armName: string;
  readonly backend: string;
  readonly evaluateCheckpoints: EvaluateCheckpoints;
  /** This run is stressed (spec.persistence): after its evaluations it runs persistenceWorkflow. */
  readonly persistence?: boolean;
}

export interface ArmWorkflowResult {
  readonly armId: string;
  readonly finalCheckpointId: string;
  readonly finalStep: number;
  readonly evaluatedCheckpoints: number;
}

export interface CheckpointEvalWorkflowInput {
  readonly experimentId: string;
  readonly armId: string;
  readonly checkpointId: string;
  readonly step: number;
}

export interface PersistenceWorkflowInput {
  readonly experimentId: string;
  readonly armId: string;
  /** The run's final training checkpoint: evaluated under pressure and attacked. */
  readonly finalCheckpointId: string;
}

export interface PersistenceWorkflowResult {
  readonly evaluations: number;
  readonly attacks: number;
}
