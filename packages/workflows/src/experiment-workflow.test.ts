import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  experimentStatusQuery,
  searchAttributes,
  workflowIds,
  type BallastActivities,
  type TrainingOutcome,
} from '@ballast/workflow-contract';
import { experimentWorkflow } from './experiment-workflow.js';
import { startTestEnvironment, testWorker } from './testing/test-environment.js';
import { waitFor } from './testing/wait.js';

const trained: TrainingOutcome = {
  jobId: 'job_test0000',
  attempts: 1,
  finalStep: 10,
  recordsSeen: 100,
  checkpoints: [{ checkpointId: 'ckpt_test0000', step: 10, contentHash: 'sha256:10' }],
};

let runs = 0;
function experimentInput() {
  runs += 1;
  return {
    experimentId: `exp_exptest${runs}xxxx`,
    backend: 'local',
    arms: [{ armId: `arm_exptest${runs}xxxx`, name: 'traits' }],
    evaluateCheckpoints: 'final',
  } as const;
}

describe('experiment workflow (local Temporal, mocked activities)', { timeout: 120_000 }, () => {
  let env: TestWorkflowEnvironment;
  before(async () => {
    env = await startTestEnvironment();
  });
  after(async () => {
    await env?.teardown();
  });

  const base = (): Partial<BallastActivities> => ({
    setExperimentPhase: async () => undefined,
    setArmPhase: async () => undefined,
    prepareArmMix: async () => ({ mixId: 'mix_test0000', records: 10, cacheHit: true }),
    evaluateCheckpoint: async ({ checkpointId }) => ({ checkpointId, evaluated: 1, cached: 0 }),
    computeReport: async () => ({ reportId: 'rep_test0000', improved: 1, total: 2 }),
  });

  it('shows each arm in the phase words of the arm, the database and the CLI (TRAINING, not RUNNING)', { timeout: 60_000 }, async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const activities = { ...base(), runTrainingJob: async () => (await released, trained) };
    const { worker, taskQueue } = await testWorker(env, activities);
    const input = experimentInput();
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(experimentWorkflow, { taskQueue, workflowId: workflowIds.experiment(input.experimentId), args: [input] });
      await waitFor(
        "the experiment's query to show the arm TRAINING",
        async () => (await handle.query(experimentStatusQuery)).arms[0]?.phase === 'TRAINING',
      );
      const arm = await env.client.workflow.getHandle(workflowIds.arm(input.arms[0].armId)).describe();
      assert.deepEqual(arm.typedSearchAttributes.get(searchAttributes.phase), 'TRAINING');
      release();
      assert.deepEqual(await handle.result(), { reportId: 'rep_test0000' });
      const status = await handle.query(experimentStatusQuery);
      assert.equal(status.phase, 'SUCCEEDED');
      assert.equal(status.arms[0]?.phase, 'DONE');
    });
  });

  it('retries a report attempt that went silent within its heartbeat timeout, not its start-to-close timeout', { timeout: 90_000 }, async () => {
    const attempts: number[] = [];
    const activities = {
      ...base(),
      runTrainingJob: async () => trained,
      computeReport: async () => {
        const ctx = Context.current();
        attempts.push(ctx.info.attempt);
        // Attempt 1 is lost: it never heartbeats and never returns (until the server gives up on it).
        if (ctx.info.attempt === 1) await ctx.cancelled.catch(() => undefined);
        return { reportId: 'rep_test0000', improved: 1, total: 2 };
      },
    };
    const { worker, taskQueue } = await testWorker(env, activities);
    const input = experimentInput();
    const result = await worker.runUntil(
      env.client.workflow.execute(experimentWorkflow, { taskQueue, workflowId: workflowIds.experiment(input.experimentId), args: [input] }),
    );
    assert.deepEqual(result, { reportId: 'rep_test0000' });
    assert.deepEqual(attempts, [1, 2], 'the silent attempt 1 was timed out by its heartbeat timeout and attempt 2 ran');
  });
});
