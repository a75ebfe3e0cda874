/**
 * The workflow functions, for typed starts (`client.workflow.start(experimentWorkflow, …)`), and the
 * path of the bundle entry. Everything else clients, workers and activities share (signals, queries,
 * search attributes, ids, inputs) is in @ballast/workflow-contract.
 */
export { experimentWorkflow, armWorkflow, checkpointEvalWorkflow, mixBuildWorkflow, mixPreviewWorkflow, reconcileWorkflow } from './index.js';
/** Absolute path of the workflow bundle entry, for `Worker.create({ workflowsPath })`. */
export const workflowsPath = new URL('./index.js', import.meta.url).pathname;
