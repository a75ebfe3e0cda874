import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { MixPreview } from '@ballast/schema';
import { NON_RETRYABLE_ERROR_TYPES, type BallastActivities } from '@ballast/workflow-contract';

const building = proxyActivities<BallastActivities>({
  startToCloseTimeout: '12 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 5, nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES] },
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});

/**
 * A preview answers a person waiting at a terminal: it has a deadline (retries included), and heartbeats
 * often enough that a cancel (Ctrl-C in the CLI) or a stuck source is noticed within seconds.
 */
const previewing = proxyActivities<BallastActivities>({
  startToCloseTimeout: '10 minutes',
  scheduleToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 3, nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES] },
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});

/** Builds a standalone mix (`ballast mix build`); its progress is in the database, keyed by build id. */
export async function mixBuildWorkflow(input: { buildId: string }): Promise<{ mixId: string; cacheHit: boolean }> {
  return await building.buildStandaloneMix(input);
}

/** Previews a standalone mix without writing it. */
export async function mixPreviewWorkflow(input: { spec: unknown }): Promise<MixPreview> {
  return await previewing.previewStandaloneMix(input);
}
