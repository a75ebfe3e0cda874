/** The default task queue, when configuration names none. */
export const DEFAULT_TASK_QUEUE = 'ballast';

/** The Temporal Schedule that runs `reconcileWorkflow`; the worker creates or updates it at start. */
export const RECONCILE_SCHEDULE_ID = 'ballast-reconcile';

/**
 * Workflow ids, derived from entity ids so that ops can go from either to the other. Every place that
 * starts a workflow builds its id here.
 */
export const workflowIds = {
  experiment: (experimentId: string) => `experiment-${experimentId}`,
  arm: (armId: string) => `arm-${armId}`,
  checkpointEval: (armId: string, step: number) => `ckpt-eval-${armId}-step-${step}`,
  /** A run's persistence work: pressure evaluations, attacks and the evaluations of attacked checkpoints. */
  persistence: (armId: string) => `persistence-${armId}`,
  mixBuild: (buildId: string) => `mix-build-${buildId}`,
  /** A preview has no entity; `nonce` makes each one its own workflow. */
  mixPreview: (nonce: string) => `mix-preview-${nonce}`,
  reconcileNow: (nonce: string) => `ballast-reconcile-now-${nonce}`,
} as const;

/** Workflow type names, for starting a workflow by name (schedules, clients that do not load the workflow code). */
export const WORKFLOW_TYPES = {
  experiment: 'experimentWorkflow',
  arm: 'armWorkflow',
  checkpointEval: 'checkpointEvalWorkflow',
  persistence: 'persistenceWorkflow',
  mixBuild: 'mixBuildWorkflow',
  mixPreview: 'mixPreviewWorkflow',
  reconcile: 'reconcileWorkflow',
} as const;
