import {
  ApplicationFailure,
  CancellationScope,
  executeChild,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  ArmPhase,
  armPhaseChangedSignal,
  ExperimentPhase,
  experimentStatusQuery,
  searchAttributes,
  workflowIds,
  type BallastActivities,
  type ExperimentWorkflowInput,
  type ExperimentWorkflowResult,
} from '@ballast/workflow-contract';
import { QUICK, REPORTING } from './activity-options.js';
import { armWorkflow } from './arm-workflow.js';

const quick = proxyActivities<BallastActivities>(QUICK);
const reporting = proxyActivities<BallastActivities>(REPORTING);

/**
 * One experiment: every arm runs concurrently in its own child workflow (mix → train → evaluate each
 * checkpoint), then the report is computed. Cancelling it cancels the arms, whose activities cancel
 * their backend jobs.
 */
export async function experimentWorkflow(input: ExperimentWorkflowInput): Promise<ExperimentWorkflowResult> {
  let phase: ExperimentPhase = ExperimentPhase.PENDING;
  const armPhases = new Map<string, ArmPhase>(input.arms.map((a) => [a.armId, ArmPhase.PENDING]));
  setHandler(experimentStatusQuery, () => ({
    experimentId: input.experimentId,
    phase,
    arms: input.arms.map((a) => ({ armId: a.armId, name: a.name, phase: armPhases.get(a.armId) ?? ArmPhase.PENDING })),
  }));
  // Each arm reports its phase changes; the arm's own outcome below has the last word.
  setHandler(armPhaseChangedSignal, ({ armId, phase: armPhase }) => {
    if (armPhases.has(armId)) armPhases.set(armId, armPhase);
  });
  const enter = async (next: ExperimentPhase, error?: string) => {
    phase = next;
    upsertSearchAttributes([{ key: searchAttributes.phase, value: next }]);
    await quick.setExperimentPhase({ experimentId: input.experimentId, phase: next, ...(error ? { error } : {}) });
  };

  try {
    await enter(ExperimentPhase.TRAINING);
    // Arms run in their own scope: when one fails, the others are cancelled and awaited (their jobs
    // cancelled on the backends) before the experiment ends, instead of being terminated mid-flight.
    const armsScope = new CancellationScope();
    const runs = input.arms.map((arm) =>
      armsScope.run(async () => {
        try {
          await executeChild(armWorkflow, {
            workflowId: workflowIds.arm(arm.armId),
            args: [
              {
                experimentId: input.experimentId,
                armId: arm.armId,
                armName: arm.name,
                backend: input.backend,
                evaluateCheckpoints: input.evaluateCheckpoints,
                ...(arm.persistence === true ? { persistence: true } : {}),
              },
            ],
            typedSearchAttributes: [
              { key: searchAttributes.experimentId, value: input.experimentId },
              { key: searchAttributes.arm, value: arm.name },
              { key: searchAttributes.backend, value: input.backend },
              { key: searchAttributes.phase, value: ArmPhase.PENDING },
            ],
          });
          armPhases.set(arm.armId, ArmPhase.DONE);
        } catch (error) {
          armPhases.set(arm.armId, isCancellation(error) ? ArmPhase.CANCELLED : ArmPhase.FAILED);
          armsScope.cancel();
          throw error;
        }
      }),
    );
    const settled = await Promise.allSettled(runs);
    const failures = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    // A real failure explains the experiment better than the cancellations it caused in other arms.
    const failure = failures.find((f) => !isCancellation(f)) ?? failures[0];
    if (failure !== undefined) throw failure;
    await enter(ExperimentPhase.REPORTING);
    const report = await reporting.computeReport({ experimentId: input.experimentId });
    await enter(ExperimentPhase.SUCCEEDED);
    return { reportId: report.reportId };
  } catch (error) {
    const cancelled = isCancellation(error);
    await CancellationScope.nonCancellable(async () => {
      await enter(cancelled ? ExperimentPhase.CANCELLED : ExperimentPhase.FAILED, cancelled ? 'cancelled by request' : describe(error));
    });
    if (cancelled) throw error;
    throw ApplicationFailure.nonRetryable(`experiment ${input.experimentId} failed: ${describe(error)}`, 'ExperimentFailed');
  }
}

function describe(error: unknown): string {
  let current: unknown = error;
  const parts: string[] = [];
  while (current instanceof Error && parts.length < 4) {
    parts.push(current.message);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(': ') || String(error);
}
