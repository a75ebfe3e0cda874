/** Definitions shared by workflows, the worker and clients: safe to import outside the sandbox. */
export * from './definitions.js';
export type * from './inputs.js';
export type * from './activity-types.js';
export { experimentWorkflow, armWorkflow, checkpointEvalWorkflow, mixBuildWorkflow, mixPreviewWorkflow, reconcileWorkflow } from './index.js';
/** Absolute path of the workflow bundle entry, for `Worker.create({ workflowsPath })`. */
export const workflowsPath = new URL('./index.js', import.meta.url).pathname;
