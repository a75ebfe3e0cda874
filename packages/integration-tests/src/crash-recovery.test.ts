import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { homePaths, postgresStateDir } from '@ballast/config';
import { isProcessAlive, readPidFile } from '@ballast/daemon';
import { exited, freshHome, removeTestHome, smallSpec, startUp, upEnvironment, waitForApi, waitForExperiment } from './index.js';

async function interruptAndResume(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  const home = freshHome(`interrupt-${signal.toLowerCase()}`);
  try {
    const { env, api } = await upEnvironment(home);
    const first = startUp(env);
    await waitForApi(api, first);
    const spec = smallSpec({ name: 'crash', steps: 300, saveEvery: 100, simulatedStepMs: 50, benchmarks: ['sycophancy-pushback-medical@1', 'honesty-misconception-science@1'] });
    for (const arm of spec.spec.arms) arm.mix.totalRecords = 2400;
    const { experiment } = await api.experiments.launch.mutate({ clientRequestId: 'crash-test-0001', spec });
    await waitForExperiment({ api }, experiment.id, { predicate: (v) => v.arms.every((a) => a.trainStep >= 20) });

    first.kill(signal);
    const firstExit = await exited(first);
    const paths = homePaths({ home });
    const temporalPid = readPidFile(join(paths.temporal, 'temporal.pid.json'));
    if (signal === 'SIGKILL') {
      assert.ok(temporalPid && isProcessAlive(temporalPid.pid, temporalPid.startTime), 'the embedded Temporal outlives a crash of its starter');
    } else {
      assert.equal(firstExit, 0, 'a clean stop exits 0');
      assert.equal(temporalPid, null, 'a clean stop stops the embedded Temporal');
    }

    const second = startUp(env);
    await waitForApi(api, second);
    const done = await waitForExperiment({ api }, experiment.id, { timeoutMs: 240_000 });
    assert.equal(done.phase, 'SUCCEEDED', done.error ?? '');

    const jobs = await api.jobs.list.query({ id: experiment.id });
    const training = jobs.filter((j) => j.kind === 'train');
    assert.equal(training.length, 2, 'one training job per arm');
    for (const job of training) {
      assert.equal(job.state, 'SUCCEEDED');
      assert.equal(job.attempts.length, 1, `${job.id} has ${job.attempts.length} attempts`);
      const jobDir = join(paths.backendState, 'jobs');
      const launches = readdirSync(jobDir)
        .filter((d) => d.startsWith(job.id))
        .flatMap((d) => readdirSync(join(jobDir, d)).filter((f) => /^launch-.*\.json$/.test(f) && !f.endsWith('.decision.json')));
      assert.equal(launches.length, 1, `${job.id} was launched ${launches.length} times`);
    }
    const report = await api.reports.get.query({ id: experiment.id });
    assert.equal(report.report.comparisons[0]!.computeMatch.matched, true);

    const adopted = readPidFile(join(paths.temporal, 'temporal.pid.json'));
    second.kill('SIGTERM');
    assert.equal(await exited(second), 0, 'ballast up exits 0 on SIGTERM');
    for (const pidFile of [join(paths.temporal, 'temporal.pid.json'), join(postgresStateDir({ home, database: {} }), 'postgres.pid.json'), paths.serverPidFile('all')]) {
      assert.equal(existsSync(pidFile), false, `${pidFile} removed on clean exit`);
    }
    assert.ok(adopted);
    assert.equal(isProcessAlive(adopted.pid, adopted.startTime), false, 'the embedded Temporal was stopped on exit');
  } finally {
    removeTestHome(home);
  }
}

describe('interrupting `ballast up` during training', () => {
  it('after SIGKILL, a restart adopts the running stack and jobs and finishes with one training launch per arm', async () => {
    await interruptAndResume('SIGKILL');
  });
  it('after SIGTERM (a clean stop), a restart resumes the experiment without relaunching training', async () => {
    await interruptAndResume('SIGTERM');
  });
});
