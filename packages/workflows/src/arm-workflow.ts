import {
  ApplicationFailure,
  CancellationScope,
  condition,
  executeChild,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  ActivityErrorType,
  ArmPhase,
  armPhaseChangedSignal,
  armStatusQuery,
  checkpointCommittedSignal,
  searchAttributes,
  workflowIds,
  type ArmWorkflowInput,
  type ArmWorkflowResult,
  type BallastActivities,
  type CheckpointCommitted,
} from '@ballast/workflow-contract';
import { MIXING, QUICK, TRAINING } from './activity-options.js';
import { checkpointEvalWorkflow } from './checkpoint-eval-workflow.js';
import { MAX_EVALUATIONS_IN_FLIGHT, Slots } from './slots.js';
import { persistenceWorkflow } from './persistence-workflow.js';

export { MAX_EVALUATIONS_IN_FLIGHT };

/** Arms started before this change do not tell their experiment workflow their phase (docs/operations.md, versioning). */
const ARM_PHASE_TO_PARENT = 'arm-phase-to-parent';
/** Arms started before persistence existed go straight from their evaluations to DONE. */
const ARM_PERSISTENCE = 'arm-persistence';

const quick = proxyActivities<BallastActivities>(QUICK);
const mixing = proxyActivities<BallastActivities>(MIXING);
const training = proxyActivities<BallastActivities>(TRAINING);

/**
 * One arm: build its mix, run its training job, and evaluate each checkpoint as it commits while
 * training goes on. Each evaluation is a child workflow, so this history grows by a few events per
 * checkpoint, not per benchmark.
 */
export async function armWorkflow(input: ArmWorkflowInput): Promise<ArmWorkflowResult> {
  let phase: ArmPhase = ArmPhase.PENDING;
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
  const parentId = workflowInfo().parent?.workflowId;
  const enter = async (next: ArmPhase) => {
    phase = next;
    upsertSearchAttributes([{ key: searchAttributes.phase, value: next }]);
    await quick.setArmPhase({ armId: input.armId, phase: next });
    if (parentId !== undefined && patched(ARM_PHASE_TO_PARENT)) {
      // The experiment may already be closing (a failed sibling); its view of this arm is then moot.
      await getExternalWorkflowHandle(parentId)
        .signal(armPhaseChangedSignal, { armId: input.armId, phase: next })
        .catch(() => undefined);
    }
  };
  const evaluations: Promise<unknown>[] = [];
  const slots = new Slots(MAX_EVALUATIONS_IN_FLIGHT);
  let trainingResult: Promise<unknown> = Promise.resolve();
  // At most MAX_EVALUATIONS_IN_FLIGHT evaluations run at once; the rest wait their turn in order, so
  // hundreds of checkpoints neither oversubscribe the backend nor crowd the worker's activity slots.
  const startEvaluation = (c: CheckpointCommitted) => {
    evaluationsStarted += 1;
    const run = (async () => {
      await slots.acquire();
      try {
        await executeChild(checkpointEvalWorkflow, {
          workflowId: workflowIds.checkpointEval(input.armId, c.step),
          args: [{ experimentId: input.experimentId, armId: input.armId, checkpointId: c.checkpointId, step: c.step }],
          typedSearchAttributes: [
            { key: searchAttributes.experimentId, value: input.experimentId },
            { key: searchAttributes.arm, value: input.armName },
            { key: searchAttributes.phase, value: ArmPhase.EVALUATING },
            { key: searchAttributes.backend, value: input.backend },
          ],
        });
        evaluationsDone += 1;
      } finally {
        slots.release();
      }
    })();
    // Awaited below; marked handled so a failure while the loop waits is not an unhandled rejection.
    run.catch(() => undefined);
    evaluations.push(run);
  };

  try {
    await enter(ArmPhase.MIXING);
    await mixing.prepareArmMix({ experimentId: input.experimentId, armId: input.armId });
    await enter(ArmPhase.TRAINING);
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
    if (!final) throw ApplicationFailure.nonRetryable('training committed no checkpoint', ActivityErrorType.noCheckpoint);
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
    await enter(ArmPhase.EVALUATING);
    await Promise.all(evaluations);
    if (patched(ARM_PERSISTENCE) && input.persistence === true) {
      // Adversarial pressure, harmful fine-tuning and steering of this run (spec.persistence).
      await executeChild(persistenceWorkflow, {
        workflowId: workflowIds.persistence(input.armId),
        args: [{ experimentId: input.experimentId, armId: input.armId, finalCheckpointId: final.checkpointId }],
        typedSearchAttributes: [
          { key: searchAttributes.experimentId, value: input.experimentId },
          { key: searchAttributes.arm, value: input.armName },
          { key: searchAttributes.phase, value: ArmPhase.EVALUATING },
          { key: searchAttributes.backend, value: input.backend },
        ],
      });
    }
    await enter(ArmPhase.DONE);
    return {
      armId: input.armId,
      finalCheckpointId: final.checkpointId,
      finalStep: final.step,
      evaluatedCheckpoints: evaluationsDone,
    };
  } catch (error) {
    const next = isCancellation(error) ? ArmPhase.CANCELLED : ArmPhase.FAILED;
    await CancellationScope.nonCancellable(async () => {
      // Let cancelled activities and children finish cancelling their backend jobs first.
      await Promise.allSettled([trainingResult, ...evaluations]);
      await enter(next);
    });
    throw error;
  }
}
