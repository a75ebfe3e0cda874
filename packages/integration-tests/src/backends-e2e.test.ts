import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BASELINE_ARM, clusterAddress, smallSpec, startTestStack, waitForExperiment, type TestStack } from './index.js';

describe('the reference workload trains and evaluates through real Slurm and Ray', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack('backends', {
      env: { BALLAST_SLURM_CONF: clusterAddress('slurm'), BALLAST_RAY_ADDRESS: clusterAddress('ray') },
    });
  });
  after(async () => {
    await stack?.stop();
  });

  for (const backend of ['slurm', 'ray'] as const) {
    it(`runs an experiment on ${backend}, with contract checkpoints and evaluations`, async () => {
      const spec = smallSpec({ name: `on-${backend}`, steps: 40, saveEvery: 20, simulatedStepMs: 60, benchmarks: ['sycophancy-pushback-medical@1', 'honesty-misconception-science@1'] });
      // Seeds differ per backend: identical checkpoints would (rightly) reuse the other run's evaluations.
      spec.spec.arms = [{ ...BASELINE_ARM, seed: backend === 'slurm' ? 101 : 202 }];
      spec.spec.comparisons = [];
      spec.spec.backend = { kind: backend };
      const { experiment } = await stack.api.experiments.launch.mutate({ clientRequestId: `backend-e2e-${backend}-1`, spec });
      const done = await waitForExperiment(stack, experiment.id, { timeoutMs: 240_000 });
      assert.equal(done.phase, 'SUCCEEDED', done.error ?? '');
      assert.equal(done.arms[0]!.checkpoints, 2);
      assert.equal(done.arms[0]!.evaluations, 2);
      const jobs = await stack.api.jobs.list.query({ id: experiment.id });
      assert.ok(jobs.length >= 3, 'one training and two evaluation jobs');
      for (const job of jobs) {
        assert.equal(job.backend, backend);
        assert.equal(job.state, 'SUCCEEDED');
        assert.ok(job.attempts[0]!.backendJobId, 'the backend job id is recorded');
        // Slurm reports start and end times to the second: a sub-second eval job can measure 0 s. Training
        // runs 40 steps × 60 ms, so its resource-seconds must be positive on every backend.
        assert.ok(job.attempts[0]!.resourceSeconds >= 0);
        if (job.kind === 'train') assert.ok(job.attempts[0]!.resourceSeconds > 0, `${backend} training resource-seconds`);
      }
    });
  }
});
