/** Workflow inputs. Kept small: workflows carry ids, and activities read the rest from the database. */
export interface ExperimentWorkflowInput {
  readonly experimentId: string;
  readonly backend: string;
  readonly arms: readonly { readonly armId: string; readonly name: string }[];
  /** 'all': evaluate each checkpoint as it commits; 'final': only the last one. */
  readonly evaluateCheckpoints: 'all' | 'final';
}

export interface ArmWorkflowInput {
  readonly experimentId: string;
  readonly armId: string;
  readonly armName: string;
  readonly backend: string;
  /** 'all': evaluate each checkpoint as it commits; 'final': only the last one. */
  readonly evaluateCheckpoints: 'all' | 'final';
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
