/**
 * Ballast's Temporal activities: plain async functions over the domain packages, built by a factory
 * that receives their dependencies. Workflows see only their types (@ballast/workflow-contract).
 *
 * @example
 * const worker = await Worker.create({ workflowsPath, activities: createActivities(deps), taskQueue });
 */
export { createActivities } from './create-activities.js';
export type { ActivityDeps, MlDeps } from './deps.js';
export { REFERENCE_CORPUS_SEED, ensureReferenceCorpora, datasetPath } from './datasets.js';
export { evaluationCacheKey, evalConfigHash } from './evaluation.js';
export { benchmarksFor } from './benchmark-selection.js';
export { mixCopyModeOnThisHost } from './mix-copy-mode.js';
