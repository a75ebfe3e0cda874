import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { MixPreview } from '@ballast/schema';
import type { BallastActivities } from './activity-types.js';

const building = proxyActivities<BallastActivities>({
  startToCloseTimeout: '12 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 5 },
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});

/** Builds a standalone mix (`ballast mix build`); its progress is in the database, keyed by build id. */
export async function mixBuildWorkflow(input: { buildId: string }): Promise<{ mixId: string; cacheHit: boolean }> {
  return await building.buildStandaloneMix(input);
}

/** Previews a standalone mix without writing it. */
export async function mixPreviewWorkflow(input: { spec: unknown }): Promise<MixPreview> {
  return await building.previewStandaloneMix(input);
}
