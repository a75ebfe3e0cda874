import { proxyActivities } from '@temporalio/workflow';
import type { BallastActivities, ReconciliationSummary } from '@ballast/workflow-contract';
import { RECONCILING } from './activity-options.js';

const reconciling = proxyActivities<BallastActivities>(RECONCILING);

/**
 * One reconciliation pass, started by the `ballast-reconcile` Temporal Schedule (and on demand through
 * the API). Its findings are stored in the database and logged by the activity.
 */
export async function reconcileWorkflow(): Promise<ReconciliationSummary> {
  return await reconciling.reconcileBackends();
}
