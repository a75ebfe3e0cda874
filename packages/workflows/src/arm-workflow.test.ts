import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  armStatusQuery,
  checkpointCommittedSignal,
  workflowIds,
  type ArmPhase,
  type BallastActivities,
  type CheckpointCommitted,
  type TrainingOutcome,
} from '@ballast/workflow-contract';
import { armWorkflow, MAX_EVALUATIONS_IN_FLIGHT } from './arm-workflow.js';
import { startTestEnvironment, testWorker } from './testing/test-environment.js';
import { waitFor } from './testing/wait.js';

const ckpt = (step: number): CheckpointCommitted => ({ checkpointId: `ckpt_step${step}xxxxxx`, step, contentHash: `sha256:${step}` });

/** Mocked activities recording what the arm workflow asked for; `train` is the training activity's body. */
function mocks(train: (announce: (c: CheckpointCommitted) => Promise<void>) => Promise<TrainingOutcome>) {
  const state = { phases: [] as ArmPhase[], evaluated: [] as string[], inFlight: 0, maxInFlight: 0, evalDelayMs: 0 };
  let env!: TestWorkflowEnvironment;
  const activities: Partial<BallastActivities> = {
    setArmPhase: async ({ phase }) => {
      state.phases.push(phase);
    },
    prepareArmMix: async () => ({ mixId: 'mix_test0000', records: 10, cacheHit: true }),
    runTrainingJob: async () => {
      const workflowId = Context.current().info.workflowExecution?.workflowId ?? assert.fail('training runs inside a workflow');
      return await train(async (c) => await env.client.workflow.getHandle(workflowId).signal(checkpointCommittedSignal, c));
    },
    evaluateCheckpoint: async ({ checkpointId }) => {
      state.inFlight += 1;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      try {
        await sleep(state.evalDelayMs);
        state.evaluated.push(checkpointId);
        return { checkpointId, evaluated: 1, cached: 0 };
      } finally {
        state.inFlight -= 1;
      }
    },
  };
  return { state, activities, bind: (e: TestWorkflowEnvironment) => (env = e) };
}

const outcome = (steps: number[]): TrainingOutcome => ({
  jobId: 'job_test0000',
  attempts: 1,
  finalStep: steps.at(-1) ?? 0,
  recordsSeen: 100,
  checkpoints: steps.map(ckpt),
});

let runs = 0;
function armInput(evaluateCheckpoints: 'all' | 'final') {
  runs += 1;
  return {
    experimentId: `exp_test${runs}xxxxxx`,
    armId: `arm_test${runs}xxxxxx`,
    armName: 'traits',
    backend: 'local',
    evaluateCheckpoints,
  } as const;
}

describe('arm workflow (local Temporal, mocked activities)', { timeout: 120_000 }, () => {
  let env: TestWorkflowEnvironment;
  before(async () => {
    env = await startTestEnvironment();
  });
  after(async () => {
    await env?.teardown();
  });

  it('runs at most MAX_EVALUATIONS_IN_FLIGHT checkpoint evaluations at once, and all of them in the end', { timeout: 60_000 }, async () => {
    const steps = Array.from({ length: 10 }, (_, i) => (i + 1) * 10);
    const m = mocks(async (announce) => {
      for (const s of steps) await announce(ckpt(s));
      // Training goes on while evaluations run: stay until the first ones have started.
      await waitFor('the first evaluations to start', () => m.state.inFlight > 0 || m.state.evaluated.length > 0);
      return outcome(steps);
    });
    m.bind(env);
    m.state.evalDelayMs = 300;
    const { worker, taskQueue } = await testWorker(env, m.activities);
    const input = armInput('all');
    const result = await worker.runUntil(env.client.workflow.execute(armWorkflow, { taskQueue, workflowId: workflowIds.arm(input.armId), args: [input] }));
    assert.equal(result.evaluatedCheckpoints, steps.length);
    assert.deepEqual([...m.state.evaluated].sort(), steps.map((s) => ckpt(s).checkpointId).sort());
    assert.equal(m.state.maxInFlight, MAX_EVALUATIONS_IN_FLIGHT, `at most ${MAX_EVALUATIONS_IN_FLIGHT} evaluations at once, and that many when 10 wait`);
    assert.deepEqual(m.state.phases, ['MIXING', 'TRAINING', 'EVALUATING', 'DONE']);
  });

  it('evaluates a checkpoint announced twice once, and one the signals missed from the outcome', { timeout: 60_000 }, async () => {
    const m = mocks(async (announce) => {
      await announce(ckpt(1));
      await announce(ckpt(1)); // a retried training activity re-announces what it already did
      await announce(ckpt(2));
      await waitFor('both announced checkpoints to be evaluated', () => m.state.evaluated.length >= 2);
      return outcome([1, 2, 3]); // step 3 was never signalled
    });
    m.bind(env);
    const { worker, taskQueue } = await testWorker(env, m.activities);
    const input = armInput('all');
    const result = await worker.runUntil(env.client.workflow.execute(armWorkflow, { taskQueue, workflowId: workflowIds.arm(input.armId), args: [input] }));
    assert.deepEqual([...m.state.evaluated].sort(), [1, 2, 3].map((s) => ckpt(s).checkpointId).sort());
    assert.equal(result.evaluatedCheckpoints, 3);
    assert.equal(result.finalStep, 3);
  });

  it("evaluates only the final checkpoint in 'final' mode", { timeout: 60_000 }, async () => {
    const m = mocks(async (announce) => {
      for (const s of [5, 10, 15]) await announce(ckpt(s));
      return outcome([5, 10, 15]);
    });
    m.bind(env);
    const { worker, taskQueue } = await testWorker(env, m.activities);
    const input = armInput('final');
    const result = await worker.runUntil(env.client.workflow.execute(armWorkflow, { taskQueue, workflowId: workflowIds.arm(input.armId), args: [input] }));
    assert.deepEqual(m.state.evaluated, [ckpt(15).checkpointId]);
    assert.equal(result.evaluatedCheckpoints, 1);
    assert.equal(result.finalCheckpointId, ckpt(15).checkpointId);
  });

  it('on cancel, waits for the training activity to finish cancelling, then ends CANCELLED', { timeout: 60_000 }, async () => {
    const events: string[] = [];
    const m = mocks(async () => {
      const ctx = Context.current();
      events.push('training started');
      const beat = setInterval(() => ctx.heartbeat(), 200);
      try {
        await ctx.cancelled;
        throw new Error('unreachable: cancelled resolves never');
      } catch (error) {
        if (!(error instanceof CancelledFailure)) throw error;
        // What the real activity does here: cancel the backend job and wait until it is terminal.
        await sleep(300);
        events.push('backend job cancelled');
        throw error;
      } finally {
        clearInterval(beat);
      }
    });
    m.bind(env);
    m.activities.setArmPhase = async ({ phase }) => {
      events.push(`phase ${phase}`);
    };
    const { worker, taskQueue } = await testWorker(env, m.activities);
    const input = armInput('all');
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(armWorkflow, { taskQueue, workflowId: workflowIds.arm(input.armId), args: [input] });
      await waitFor('the arm to report TRAINING in its query', async () => (await handle.query(armStatusQuery)).phase === 'TRAINING');
      await waitFor('the training activity to start', () => events.includes('training started'));
      await handle.cancel();
      await assert.rejects(handle.result(), (e: unknown) => e instanceof WorkflowFailedError && e.cause instanceof CancelledFailure);
      assert.equal((await handle.query(armStatusQuery)).phase, 'CANCELLED');
    });
    assert.deepEqual(events.slice(-2), ['backend job cancelled', 'phase CANCELLED'], `events: ${events.join(', ')}`);
  });
});
