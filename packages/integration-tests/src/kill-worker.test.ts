import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BASELINE_ARM,
  clusterAddress,
  exited,
  freshHome,
  removeTestHome,
  rayJobsForKey,
  slurmJobsForKey,
  smallSpec,
  startUp,
  upEnvironment,
  waitForApi,
  waitForExperiment,
  pollUntil,
  trainingJob,
} from './index.js';

/**
 * `ballast up` (API and worker in one process) is SIGKILLed twice while training runs on a real cluster:
 * first as soon as the training attempt is recorded (the worker is then submitting, or has just
 * submitted and not yet recorded the backend's job id), then while it polls the running job. Each
 * restart must adopt the job, never submit a second one.
 */
async function killTwiceAndCount(backend: 'slurm' | 'ray'): Promise<void> {
  const home = freshHome(`kill-worker-${backend}`);
  const slurmConf = await clusterAddress('slurm');
  const rayAddress = await clusterAddress('ray');
  const { env, api } = await upEnvironment(home, { BALLAST_SLURM_CONF: slurmConf, BALLAST_RAY_ADDRESS: rayAddress, BALLAST_RECONCILE_INTERVAL_S: '0' });
  let up = startUp(env);
  try {
    await waitForApi(api, up);
    const spec = smallSpec({ name: `killed-on-${backend}`, steps: 160, saveEvery: 80, simulatedStepMs: 100, benchmarks: ['sycophancy-pushback-medical@1'] });
    spec.spec.arms = [{ ...BASELINE_ARM, seed: backend === 'slurm' ? 401 : 402 }];
    spec.spec.comparisons = [];
    spec.spec.backend = { kind: backend };
    const { experiment } = await api.experiments.launch.mutate({ clientRequestId: `kill-worker-${backend}-1`, spec });

    // 1. During the submit: the attempt row is written just before the backend is asked.
    const submitting = await pollUntil(
      'the training attempt to be recorded',
      async () => {
        const job = await trainingJob({ api }, experiment.id);
        return job?.attempts[0] ? job : null;
      },
      // Fast: the point is to land inside the submit's short window; the API may still be starting.
      { timeoutMs: 120_000, intervalMs: 20, ignoreErrors: true },
    );
    up.kill('SIGKILL');
    await exited(up);
    const key = submitting.attempts[0]!.idempotencyKey;

    up = startUp(env);
    await waitForApi(api, up);
    // 2. While polling: the restarted worker has adopted the job and is watching it run.
    await waitForExperiment({ api }, experiment.id, { timeoutMs: 180_000, predicate: (v) => v.arms[0]!.trainStep >= 20 });
    const polled = await trainingJob({ api }, experiment.id);
    assert.equal(polled?.attempts[0]?.state, 'RUNNING');
    up.kill('SIGKILL');
    await exited(up);

    up = startUp(env);
    await waitForApi(api, up);
    const done = await waitForExperiment({ api }, experiment.id, { timeoutMs: 240_000 });
    assert.equal(done.phase, 'SUCCEEDED', done.error ?? '');
    const job = (await trainingJob({ api }, experiment.id))!;
    assert.deepEqual(job.attempts.map((a) => [a.number, a.state, a.idempotencyKey]), [[1, 'SUCCEEDED', key]]);
    const onBackend = backend === 'slurm' ? await slurmJobsForKey(slurmConf, key) : await rayJobsForKey(rayAddress, key);
    assert.equal(onBackend.length, 1, `exactly one ${backend} job under ${key}: ${JSON.stringify(onBackend)}`);
  } finally {
    up.kill('SIGTERM');
    await exited(up);
    removeTestHome(home);
  }
}

describe('killing the worker during a submit and during polling leaves exactly one backend job', () => {
  for (const backend of ['slurm', 'ray'] as const) {
    it(`on ${backend}`, async () => {
      await killTwiceAndCount(backend);
    });
  }
});
