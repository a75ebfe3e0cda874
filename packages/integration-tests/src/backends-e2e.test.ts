import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { repositoryRoot } from '@ballast/config';
import { BASELINE_ARM, clusterAddress, smallSpec, startTestStack, waitForExperiment, type TestStack } from './index.js';

/** How long stopping the stack may take before this file's process is ended, saying so. */
const STOP_BOUND_MS = 120_000;

describe('the reference workload trains and evaluates through real Slurm and Ray', { timeout: 2_400_000 }, () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack('backends', {
      env: { BALLAST_SLURM_CONF: await clusterAddress('slurm'), BALLAST_RAY_ADDRESS: await clusterAddress('ray') },
    });
  }, { timeout: 600_000 });
  after(async () => {
    // A worker activity that never heeds the shutdown would keep this process, and the whole test run,
    // alive forever: past the bound, end the process, saying why.
    const watchdog = setTimeout(() => {
      process.stderr.write(`backends-e2e.test: the test stack did not stop within ${STOP_BOUND_MS} ms (waiting for the worker's activities to end); exiting\n`);
      process.exit(1);
    }, STOP_BOUND_MS + 10_000);
    watchdog.unref();
    await stack?.stop();
  }, { timeout: STOP_BOUND_MS });

  for (const backend of ['slurm', 'ray'] as const) {
    it(`runs an experiment on ${backend}, with contract checkpoints and evaluations`, { timeout: 480_000 }, async () => {
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

  for (const backend of ['slurm', 'ray'] as const) {
    it(`runs the example experiment with \`ballast launch --backend ${backend}\``, { timeout: 480_000 }, async () => {
      // The example with 2 seeds per arm instead of its 10: every part of it (replicates, seed-level
      // intervals, the declared analysis) on the backend, at a fifth of the jobs.
      const doc = parseYaml(readFileSync(join(repositoryRoot(), 'examples', 'beneficial-traits.yaml'), 'utf8')) as { spec: { replicates: number } };
      doc.spec.replicates = 2;
      const example = join(stack.home, `beneficial-traits-${backend}.yaml`);
      writeFileSync(example, toYaml(doc));
      const { stdout } = await promisify(execFile)(
        process.execPath,
        // --no-reuse: each backend trains its own runs, though the example's inputs are the same on both.
        [join(repositoryRoot(), 'apps', 'cli', 'dist', 'main.js'), 'launch', example, '--backend', backend, '--no-reuse', '--watch', '--api', stack.server.apiUrl!],
        // Bounded below the test's own timeout, so a stuck --watch fails with its output, not a hang.
        { maxBuffer: 16 * 1024 * 1024, timeout: 420_000, killSignal: 'SIGKILL' },
      );
      const id = /launched (exp_[0-9a-z]+)/.exec(stdout)?.[1];
      assert.ok(id, stdout);
      const done = await stack.api.experiments.get.query({ id });
      assert.equal(done.phase, 'SUCCEEDED', done.error ?? '');
      const jobs = await stack.api.jobs.list.query({ id });
      const training = jobs.filter((j) => j.kind === 'train');
      assert.equal(training.length, 4, 'one training job per arm and seed');
      for (const job of training) assert.deepEqual([job.backend, job.state], [backend, 'SUCCEEDED']);
      assert.match(stdout, /traits-5 vs baseline: \d+ of \d+ benchmarks improved and \d+ regressed \(Holm-adjusted/);
      assert.match(stdout, /2 training seeds per arm: intervals treat the seed as the unit/);
    });
  }
});
