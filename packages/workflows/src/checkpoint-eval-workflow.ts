import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { BallastActivities, EvaluationOutcome } from './activity-types.js';
import type { CheckpointEvalWorkflowInput } from './inputs.js';

const evaluation = proxyActivities<BallastActivities>({
  startToCloseTimeout: '1 day',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});

/**
 * Evaluates one committed checkpoint on the experiment's benchmarks. Results are cached by
 * (checkpoint hash, benchmark@version, evaluator version, eval config hash), so a retry or a rerun
 * evaluates nothing twice.
 */
export async function checkpointEvalWorkflow(input: CheckpointEvalWorkflowInput): Promise<EvaluationOutcome> {
  return await evaluation.evaluateCheckpoint({
    experimentId: input.experimentId,
    armId: input.armId,
    checkpointId: input.checkpointId,
  });
}
