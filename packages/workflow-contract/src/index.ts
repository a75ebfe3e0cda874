/**
 * The public surface of Ballast's workflows: what workflows, activities, workers and clients must agree
 * on, with no workflow code and no I/O. Signals, queries, search attributes, phases, workflow ids and
 * type names, workflow inputs and results, the activity interface and the failure types that are never
 * retried. Workflows import it inside the sandbox, so it stays free of Node built-ins and of zod.
 *
 * @example
 * import { checkpointCommittedSignal, workflowIds } from '@ballast/workflow-contract';
 * await client.workflow.getHandle(workflowIds.arm(armId)).signal(checkpointCommittedSignal, { checkpointId, step, contentHash });
 */
export * from './phases.js';
export * from './search-attributes.js';
export * from './messages.js';
export * from './workflow-ids.js';
export * from './errors.js';
export type * from './inputs.js';
export type * from './activities.js';
