import { proxyActivities } from '@temporalio/workflow';
import type { BallastActivities, ReconciliationSummary } from './activity-types.js';

const reconciling = proxyActivities<BallastActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 3 },
});

/**
 * One reconciliation pass, started by the `ballast-reconcile` Temporal Schedule (and on demand through
 * the API). Its findings are stored in the database and logged by the activity.
 */
export async function reconcileWorkflow(): Promise<ReconciliationSummary> {
  return await reconciling.reconcileBackends();
}
