import { ActivityCancellationType, type ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_ERROR_TYPES } from '@ballast/workflow-contract';

/**
 * The activity options of every workflow, side by side. The rule: an activity that can run longer than
 * a few seconds heartbeats and has a heartbeat timeout, so an attempt that is lost (a worker that died,
 * a task that never reached the activity function) is retried within that timeout instead of at the end
 * of its start-to-close timeout. Input errors are never retried (`nonRetryableErrorTypes`).
 */
const nonRetryableErrorTypes = [...NON_RETRYABLE_ERROR_TYPES];

/** Database writes of a few milliseconds (phases). */
export const QUICK: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '10 seconds', nonRetryableErrorTypes },
};

/** Building an arm's mix; heartbeats with its progress. */
export const MIXING: ActivityOptions = {
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds', maximumAttempts: 10, nonRetryableErrorTypes },
};

/**
 * A retry of the training activity adopts the running job (same idempotency key), so retries are cheap
 * and safe; a heartbeat timeout after a worker crash is how the job gets a new watcher.
 */
export const TRAINING: ActivityOptions = {
  startToCloseTimeout: '30 days',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes },
  // On cancel, wait until the activity has cancelled the backend job: no orphans.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
};

export const EVALUATION: ActivityOptions = {
  startToCloseTimeout: '1 day',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20, nonRetryableErrorTypes },
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
};

/**
 * The report takes under a second of work. An attempt that went silent once held an experiment in
 * REPORTING for the whole 30-minute start-to-close timeout it had then; now it heartbeats and a silent
 * attempt is retried after 20 s.
 */
export const REPORTING: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 5, nonRetryableErrorTypes },
};

export const RECONCILING: ActivityOptions = {
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 3, nonRetryableErrorTypes },
};
