import { CancellationScope, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { BallastActivities, PersistenceWorkflowInput, PersistenceWorkflowResult } from '@ballast/workflow-contract';
import { EVALUATION, QUICK, TRAINING } from './activity-options.js';
import { MAX_EVALUATIONS_IN_FLIGHT, Slots } from './slots.js';

const quick = proxyActivities<BallastActivities>(QUICK);
const training = proxyActivities<BallastActivities>(TRAINING);
const evaluation = proxyActivities<BallastActivities>(EVALUATION);

/**
 * One run's persistence work, after its training and evaluations: the final checkpoint evaluated on
 * the harm-side and steering benchmarks without pressure and on the harm-side ones under every
 * pressure condition; then each harmful fine-tuning attack (a job, like training) from the final
 * checkpoint, and every attacked checkpoint evaluated on both sets. Evaluations are cached by key, so a
 * rerun (or a reused arm) evaluates nothing twice.
 */
export async function persistenceWorkflow(input: PersistenceWorkflowInput): Promise<PersistenceWorkflowResult> {
  const plan = await quick.persistencePlan({ experimentId: input.experimentId, armId: input.armId });
  if (!plan.stressed) return { evaluations: 0, attacks: 0 };
  const slots = new Slots(MAX_EVALUATIONS_IN_FLIGHT);
  let evaluations = 0;
  const evaluate = async (checkpointId: string, benchmarks: readonly string[], pressure?: string) => {
    await slots.acquire();
    try {
      await evaluation.evaluateCheckpoint({
        experimentId: input.experimentId,
        armId: input.armId,
        checkpointId,
        benchmarks: [...benchmarks],
        ...(pressure === undefined ? {} : { pressure }),
      });
      evaluations += 1;
    } finally {
      slots.release();
    }
  };
  const both = [...plan.benchmarks, ...plan.steering];
  const branches: (() => Promise<void>)[] = [
    () => evaluate(input.finalCheckpointId, both),
    ...plan.pressure.map((ref) => () => evaluate(input.finalCheckpointId, plan.benchmarks, ref)),
    ...plan.attacks.map((attack) => async () => {
      const outcome = await training.runAttackJob({ experimentId: input.experimentId, armId: input.armId, attack: attack.name });
      await Promise.all(outcome.checkpoints.map((c) => evaluate(c.checkpointId, both)));
    }),
  ];
  // The branches run in their own scope: when one fails the others are cancelled (their jobs cancelled
  // on the backends) and awaited, then the failure is thrown.
  const scope = new CancellationScope();
  const settled = await Promise.allSettled(
    branches.map((branch) =>
      scope.run(async () => {
        try {
          await branch();
        } catch (error) {
          scope.cancel();
          throw error;
        }
      }),
    ),
  );
  const failures = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  // A real failure explains more than the cancellations it caused.
  const failure = failures.find((f) => !isCancellation(f)) ?? failures[0];
  if (failure !== undefined) throw failure;
  return { evaluations, attacks: plan.attacks.length };
}
