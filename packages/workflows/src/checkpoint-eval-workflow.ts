import { proxyActivities } from '@temporalio/workflow';
import type { BallastActivities, CheckpointEvalWorkflowInput, EvaluationOutcome } from '@ballast/workflow-contract';
import { EVALUATION } from './activity-options.js';

const evaluation = proxyActivities<BallastActivities>(EVALUATION);

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
