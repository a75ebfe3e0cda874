import {
  ApplicationFailure,
  CancellationScope,
  executeChild,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { BallastActivities } from './activity-types.js';
import { experimentStatusQuery, searchAttributes } from './definitions.js';
import type { ExperimentWorkflowInput } from './inputs.js';
import { armWorkflow } from './arm-workflow.js';

const quick = proxyActivities<BallastActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '10 seconds' },
});
const reporting = proxyActivities<BallastActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/**
 * One experiment: every arm runs concurrently in its own child workflow (mix → train → evaluate each
 * checkpoint), then the report is computed. Cancelling it cancels the arms, whose activities cancel
 * their backend jobs.
 */
export async function experimentWorkflow(input: ExperimentWorkflowInput): Promise<{ reportId: string }> {
  let phase = 'PENDING';
  const armPhases = new Map(input.arms.map((a) => [a.armId, 'PENDING']));
  setHandler(experimentStatusQuery, () => ({
    experimentId: input.experimentId,
    phase,
    arms: input.arms.map((a) => ({ armId: a.armId, name: a.name, phase: armPhases.get(a.armId) ?? 'PENDING' })),
  }));
  const enter = async (next: string, error?: string) => {
    phase = next;
    upsertSearchAttributes([{ key: searchAttributes.phase, value: next }]);
    await quick.setExperimentPhase({ experimentId: input.experimentId, phase: next, ...(error ? { error } : {}) });
  };

  try {
    await enter('TRAINING');
    // Arms run in their own scope: when one fails, the others are cancelled and awaited (their jobs
    // cancelled on the backends) before the experiment ends, instead of being terminated mid-flight.
    const armsScope = new CancellationScope();
    const runs = input.arms.map((arm) =>
      armsScope.run(async () => {
        armPhases.set(arm.armId, 'RUNNING');
        try {
          await executeChild(armWorkflow, {
            workflowId: `arm-${arm.armId}`,
            args: [
              {
                experimentId: input.experimentId,
                armId: arm.armId,
                armName: arm.name,
                backend: input.backend,
                evaluateCheckpoints: input.evaluateCheckpoints,
              },
            ],
            typedSearchAttributes: [
              { key: searchAttributes.experimentId, value: input.experimentId },
              { key: searchAttributes.arm, value: arm.name },
              { key: searchAttributes.backend, value: input.backend },
              { key: searchAttributes.phase, value: 'RUNNING' },
            ],
          });
          armPhases.set(arm.armId, 'DONE');
        } catch (error) {
          armPhases.set(arm.armId, isCancellation(error) ? 'CANCELLED' : 'FAILED');
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
    await enter('REPORTING');
    const report = await reporting.computeReport({ experimentId: input.experimentId });
    await enter('SUCCEEDED');
    return { reportId: report.reportId };
  } catch (error) {
    const cancelled = isCancellation(error);
    await CancellationScope.nonCancellable(async () => {
      await enter(cancelled ? 'CANCELLED' : 'FAILED', cancelled ? 'cancelled by request' : describe(error));
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
