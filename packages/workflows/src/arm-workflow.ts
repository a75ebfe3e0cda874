import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  condition,
  executeChild,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { BallastActivities } from './activity-types.js';
import { armStatusQuery, checkpointCommittedSignal, searchAttributes, type CheckpointCommitted } from './definitions.js';
import type { ArmWorkflowInput, ArmWorkflowResult } from './inputs.js';
import { checkpointEvalWorkflow } from './checkpoint-eval-workflow.js';

const MAX_EVALUATIONS_IN_FLIGHT = 4;

const quick = proxyActivities<BallastActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '10 seconds' },
});
const mixing = proxyActivities<BallastActivities>({
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds', maximumAttempts: 10 },
});
// A retry of the training activity adopts the running job (same idempotency key), so retries are cheap
// and safe; a heartbeat timeout after a worker crash is how the job gets a new watcher.
const training = proxyActivities<BallastActivities>({
  startToCloseTimeout: '30 days',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  // On cancel, wait until the activity has cancelled the backend job: no orphans.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});

/**
 * One arm: build its mix, run its training job, and evaluate each checkpoint as it commits while
 * training goes on. Each evaluation is a child workflow, so this history grows by a few events per
 * checkpoint, not per benchmark.
 */
export async function armWorkflow(input: ArmWorkflowInput): Promise<ArmWorkflowResult> {
  let phase = 'PENDING';
  const seen = new Set<number>();
  const queue: CheckpointCommitted[] = [];
  let evaluationsStarted = 0;
  let evaluationsDone = 0;
  setHandler(checkpointCommittedSignal, (c) => {
    if (seen.has(c.step)) return; // a retried training activity re-announces what it already did
    seen.add(c.step);
    queue.push(c);
  });
  setHandler(armStatusQuery, () => ({
    armId: input.armId,
    name: input.armName,
    phase,
    checkpointsSeen: seen.size,
    evaluationsStarted,
    evaluationsDone,
  }));
  const enter = async (next: string) => {
    phase = next;
    upsertSearchAttributes([{ key: searchAttributes.phase, value: next }]);
    await quick.setArmPhase({ armId: input.armId, phase: next });
  };
  const evaluations: Promise<unknown>[] = [];
  let inFlight = 0;
  let trainingResult: Promise<unknown> = Promise.resolve();
  // At most MAX_EVALUATIONS_IN_FLIGHT evaluations run at once; the rest wait their turn in order, so
  // hundreds of checkpoints neither oversubscribe the backend nor crowd the worker's activity slots.
  const startEvaluation = (c: CheckpointCommitted) => {
    evaluationsStarted += 1;
    const run = (async () => {
      await condition(() => inFlight < MAX_EVALUATIONS_IN_FLIGHT);
      inFlight += 1;
      try {
        await executeChild(checkpointEvalWorkflow, {
          workflowId: `ckpt-eval-${input.armId}-step-${c.step}`,
          args: [{ experimentId: input.experimentId, armId: input.armId, checkpointId: c.checkpointId, step: c.step }],
          typedSearchAttributes: [
            { key: searchAttributes.experimentId, value: input.experimentId },
            { key: searchAttributes.arm, value: input.armName },
            { key: searchAttributes.phase, value: 'EVALUATING' },
            { key: searchAttributes.backend, value: input.backend },
          ],
        });
        evaluationsDone += 1;
      } finally {
        inFlight -= 1;
      }
    })();
    // Awaited below; marked handled so a failure while the loop waits is not an unhandled rejection.
    run.catch(() => undefined);
    evaluations.push(run);
  };

  try {
    await enter('MIXING');
    await mixing.prepareArmMix({ experimentId: input.experimentId, armId: input.armId });
    await enter('TRAINING');
    let trainingDone = false;
    const trainingRun = training.runTrainingJob({ experimentId: input.experimentId, armId: input.armId }).finally(() => {
      trainingDone = true;
    });
    trainingResult = trainingRun;
    trainingRun.catch(() => undefined);
    if (input.evaluateCheckpoints === 'all') {
      while (!trainingDone) {
        await condition(() => queue.length > 0 || trainingDone);
        while (queue.length > 0) startEvaluation(queue.shift()!);
      }
    }
    const outcome = await trainingRun;
    const final = outcome.checkpoints[outcome.checkpoints.length - 1];
    if (!final) throw ApplicationFailure.nonRetryable('training committed no checkpoint', 'NoCheckpoint');
    if (input.evaluateCheckpoints === 'all') {
      while (queue.length > 0) startEvaluation(queue.shift()!);
      // The outcome lists every checkpoint; any the signals did not announce are evaluated now.
      for (const c of outcome.checkpoints) {
        if (seen.has(c.step)) continue;
        seen.add(c.step);
        startEvaluation(c);
      }
    } else {
      seen.add(final.step);
      startEvaluation(final);
    }
    await enter('EVALUATING');
    await Promise.all(evaluations);
    await enter('DONE');
    return {
      armId: input.armId,
      finalCheckpointId: final.checkpointId,
      finalStep: final.step,
      evaluatedCheckpoints: evaluationsDone,
    };
  } catch (error) {
    const next = isCancellation(error) ? 'CANCELLED' : 'FAILED';
    await CancellationScope.nonCancellable(async () => {
      // Let cancelled activities and children finish cancelling their backend jobs first.
      await Promise.allSettled([trainingResult, ...evaluations]);
      await enter(next);
    });
    throw error;
  }
}
