/**
 * Ballast's Temporal workflows. This entry is what the worker bundles (`workflowsPath`), so it exports
 * workflow functions; it must stay sandbox-pure (no Node built-ins, no I/O). Clients, workers and
 * activities import the shared surface (signals, queries, ids, inputs) from `@ballast/workflow-contract`.
 *
 * @example
 * await client.workflow.start(experimentWorkflow, { taskQueue, workflowId: workflowIds.experiment(id), args: [input] });
 */
export { experimentWorkflow } from './experiment-workflow.js';
export { armWorkflow } from './arm-workflow.js';
export { checkpointEvalWorkflow } from './checkpoint-eval-workflow.js';
export { persistenceWorkflow } from './persistence-workflow.js';
export { mixBuildWorkflow, mixPreviewWorkflow } from './mix-workflows.js';
export { reconcileWorkflow } from './reconcile-workflow.js';
