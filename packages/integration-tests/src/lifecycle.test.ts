import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { createLogger, startWorker } from '@ballast/server';
import {
  BASELINE_ARM,
  clusterAddress,
  pollUntil,
  privateSlurmCluster,
  rayRequest,
  runningRayJobs,
  runningSlurmJobs,
  slurmJobsForKey,
  smallSpec,
  startTestStack,
  trainingJob,
  waitForExperiment,
  type PrivateSlurmCluster,
  type TestStack,
} from './index.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A one-arm experiment on a backend; `seed` keeps checkpoints distinct from other tests' (no shared evals). */
function oneArm(name: string, backend: 'slurm' | 'ray' | 'local', seed: number, trainer: Record<string, unknown>, benchmarks = ['sycophancy-pushback-medical@1']) {
  const spec = smallSpec({ name, benchmarks });
  spec.spec.arms = [{ ...BASELINE_ARM, seed }];
  spec.spec.comparisons = [];
  spec.spec.backend = { kind: backend };
  spec.spec.trainer = { ...(spec.spec.trainer as object), ...trainer };
  return spec;
}

/** How long stopping the stack may take before this file's process is ended, saying so. */
const STOP_BOUND_MS = 120_000;

describe('the job lifecycle on real Slurm and Ray', { timeout: 2_400_000 }, () => {
  let stack: TestStack;
  // A Slurm cluster of this file's own: the outage test stops its controller, which would break every
  // other test file using the run's cluster. It is stopped when this process exits.
  let slurm: PrivateSlurmCluster;
  let slurmConf: string;
  let rayAddress: string;
  before(async () => {
    slurm = await privateSlurmCluster();
    slurmConf = slurm.slurmConf;
    rayAddress = await clusterAddress('ray');
    stack = await startTestStack('lifecycle', {
      env: { BALLAST_SLURM_CONF: slurmConf, BALLAST_RAY_ADDRESS: rayAddress, BALLAST_RECONCILE_INTERVAL_S: '0' },
    });
  }, { timeout: 600_000 });
  after(async () => {
    // An activity that never heeds the shutdown (one waiting on an unreachable backend) would keep this
    // process, and with it the whole test run, alive forever: past the bound, end the process, saying why.
    const watchdog = setTimeout(() => {
      process.stderr.write(`lifecycle.test: the test stack did not stop within ${STOP_BOUND_MS} ms (waiting for the worker's activities to end); exiting\n`);
      process.exit(1);
    }, STOP_BOUND_MS + 10_000);
    watchdog.unref();
    await stack?.stop();
  }, { timeout: STOP_BOUND_MS });

  it('records a job Slurm requeues behind its back as PREEMPTED, and the re-run resumes from the last checkpoint', { timeout: 480_000 }, async () => {
    const spec = oneArm('requeued', 'slurm', 301, { steps: 120, saveEvery: 20, simulatedStepMs: 100 });
    const { experiment } = await stack.api.experiments.launch.mutate({ clientRequestId: 'lifecycle-requeue-1', spec });
    const first = await pollUntil(
      'two committed checkpoints',
      async () => {
        const view = await stack.api.experiments.get.query({ id: experiment.id });
        const job = await trainingJob(stack, experiment.id);
        return view.arms[0]!.checkpoints >= 2 && job?.attempts[0]?.backendJobId ? job : null;
      },
      { timeoutMs: 120_000 },
    );
    const backendJobId = first.attempts[0]!.backendJobId!;
    await run('scontrol', ['requeue', backendJobId], { env: { PATH: process.env['PATH'] ?? '', SLURM_CONF: slurmConf }, timeout: 30_000 });

    const done = await waitForExperiment(stack, experiment.id, { timeoutMs: 240_000 });
    assert.equal(done.phase, 'SUCCEEDED', done.error ?? '');
    const job = (await trainingJob(stack, experiment.id))!;
    assert.deepEqual(
      job.attempts.map((a) => a.state),
      ['PREEMPTED', 'SUCCEEDED'],
      JSON.stringify(job.attempts, null, 1),
    );
    assert.match(job.attempts[0]!.transitions.at(-1)!.detail ?? '', /re-ran the job under the same id \(restart 1\)/);
    // Nothing was submitted: the re-run is the same Slurm job, under the same key.
    assert.equal(job.attempts[1]!.backendJobId, backendJobId);
    assert.equal(job.attempts[1]!.idempotencyKey, job.attempts[0]!.idempotencyKey);
    assert.deepEqual((await slurmJobsForKey(slurmConf, job.attempts[0]!.idempotencyKey)).map((j) => j.jobId), [backendJobId]);
    const status = JSON.parse(await readFile(join(stack.home, 'artifacts', 'jobs', job.id, 'status.json'), 'utf8')) as {
      progress: Record<string, number>;
    };
    assert.ok((status.progress['resumedFromStep'] ?? 0) >= 40, `resumed from ${status.progress['resumedFromStep']}`);
    assert.equal(status.progress['step'], 120);
    // The preempted attempt's time counts.
    assert.ok(job.attempts[0]!.cpuSeconds > 0, 'the preempted attempt is charged');
  });

  it('keeps jobs UNREACHABLE, never FAILED, while the Slurm controller is down for a minute, then tracks them again', { timeout: 480_000 }, async () => {
    const spec = oneArm('outage', 'slurm', 302, { steps: 100, saveEvery: 50, simulatedStepMs: 200 });
    const { experiment } = await stack.api.experiments.launch.mutate({ clientRequestId: 'lifecycle-outage-1', spec });
    await pollUntil('training to run', async () => (await trainingJob(stack, experiment.id))?.attempts[0]?.state === 'RUNNING', { timeoutMs: 120_000 });

    await slurm.stopController();
    const stoppedAt = Date.now();
    let sawUnreachable = false;
    try {
      while (Date.now() - stoppedAt < 60_000) {
        const job = (await trainingJob(stack, experiment.id))!;
        const view = await stack.api.experiments.get.query({ id: experiment.id });
        assert.notEqual(view.phase, 'FAILED', view.error ?? '');
        for (const attempt of job.attempts) assert.notEqual(attempt.state, 'FAILED');
        assert.equal(job.attempts.length, 1, 'nothing is resubmitted while the backend is unreachable');
        if (job.attempts[0]!.unreachableSince) sawUnreachable = true;
        await sleep(1000);
      }
    } finally {
      await slurm.startController();
    }
    assert.ok(sawUnreachable, 'the attempt was marked unreachable during the outage');

    const done = await waitForExperiment(stack, experiment.id, { timeoutMs: 240_000 });
    assert.equal(done.phase, 'SUCCEEDED', done.error ?? '');
    const job = (await trainingJob(stack, experiment.id))!;
    assert.deepEqual(job.attempts.map((a) => [a.state, a.unreachableSince]), [['SUCCEEDED', null]]);
    assert.equal((await slurmJobsForKey(slurmConf, job.attempts[0]!.idempotencyKey)).length, 1);
  });

  for (const backend of ['slurm', 'ray'] as const) {
    it(`ends a program that exits 1 on ${backend} FAILED, with its exit code and log tail, and does not retry it by default`, { timeout: 480_000 }, async () => {
      const spec = oneArm(`fails-on-${backend}`, backend, backend === 'slurm' ? 303 : 304, { steps: 40, saveEvery: 20, simulatedStepMs: 20, simulatedFailAtStep: 25 });
      const { experiment } = await stack.api.experiments.launch.mutate({ clientRequestId: `lifecycle-fail-${backend}`, spec });
      const done = await waitForExperiment(stack, experiment.id, { timeoutMs: 180_000 });
      assert.equal(done.phase, 'FAILED');
      assert.match(done.error ?? '', /ended FAILED \(exit code 1\)/);
      assert.match(done.error ?? '', /last log lines[\s\S]*SIMULATED failure at step 25/);
      const job = (await trainingJob(stack, experiment.id))!;
      assert.deepEqual(job.attempts.map((a) => [a.state, a.exitCode]), [['FAILED', 1]]);
    });
  }

  it('retries a program failure when the spec asks, resuming from the last checkpoint', { timeout: 480_000 }, async () => {
    const spec = oneArm('retried', 'slurm', 305, { steps: 40, saveEvery: 20, simulatedStepMs: 20, simulatedFailAtStep: 25 });
    spec.spec.backend = { kind: 'slurm', retries: { programFailures: 1 } };
    const { experiment } = await stack.api.experiments.launch.mutate({ clientRequestId: 'lifecycle-retry-1', spec });
    const done = await waitForExperiment(stack, experiment.id, { timeoutMs: 180_000 });
    assert.equal(done.phase, 'SUCCEEDED', done.error ?? '');
    const job = (await trainingJob(stack, experiment.id))!;
    assert.deepEqual(job.attempts.map((a) => a.state), ['FAILED', 'SUCCEEDED']);
    assert.notEqual(job.attempts[0]!.idempotencyKey, job.attempts[1]!.idempotencyKey, 'a retry is a new submission under a new key');
    assert.ok(done.gpuHours === 0 && done.cpuHours > 0, 'usage is summed over both attempts');
  });

  it('cancelling experiments stops their jobs on Slurm and Ray before they finish, and leaves none running', { timeout: 480_000 }, async () => {
    const launched = [];
    for (const backend of ['slurm', 'ray'] as const) {
      const spec = oneArm(`cancelled-on-${backend}`, backend, backend === 'slurm' ? 306 : 307, { steps: 300, saveEvery: 300, simulatedStepMs: 500 });
      launched.push((await stack.api.experiments.launch.mutate({ clientRequestId: `lifecycle-cancel-${backend}`, spec })).experiment.id);
    }
    for (const id of launched) {
      await pollUntil('training to run', async () => (await trainingJob(stack, id))?.attempts[0]?.state === 'RUNNING', {
        timeoutMs: 120_000,
        lastSeen: async () => ({ experiment: await stack.api.experiments.get.query({ id }), jobs: await stack.api.jobs.list.query({ id }) }),
      });
    }
    // These experiments' jobs, by the job ids their backend names carry (other tests' leftovers do not count).
    const jobIds = (await Promise.all(launched.map((id) => stack.api.jobs.list.query({ id })))).flat().map((j) => j.id);
    const ours = async () => ({
      slurm: (await runningSlurmJobs(slurmConf)).filter((line) => jobIds.some((j) => line.includes(j))),
      ray: (await runningRayJobs(rayAddress)).filter((job) => jobIds.some((j) => job.submission_id?.includes(j))),
    });
    const before = await ours();
    assert.ok(before.slurm.length > 0 && before.ray.length > 0, `jobs run on both backends: ${JSON.stringify(before)}`);
    for (const id of launched) await stack.api.experiments.cancel.mutate({ id });
    // A bound for a stuck cancel, not a speed claim: the jobs train for 300 × 500 ms, far longer.
    await pollUntil(
      'no job of these experiments left on Slurm or Ray after the cancel',
      async () => {
        const left = await ours();
        return left.slurm.length === 0 && left.ray.length === 0;
      },
      { timeoutMs: 90_000, lastSeen: ours },
    );
    for (const id of launched) {
      const view = await waitForExperiment(stack, id, { timeoutMs: 60_000 });
      assert.equal(view.phase, 'CANCELLED');
      assert.equal((await trainingJob(stack, id))!.state, 'CANCELLED');
      // Event order: the cancel stopped training, which never reached its last step.
      assert.ok(view.arms[0]!.trainStep < 300, `${id} trained to step ${view.arms[0]!.trainStep} of 300 before it was cancelled`);
    }
  });

  it('reconciliation cancels an orphan whose workflow is closed, marks a job its backend forgot LOST, and records the end of a job no one follows', { timeout: 480_000 }, async () => {
    const running = async (id: string) =>
      await pollUntil('training to run', async () => {
        const j = await trainingJob(stack, id);
        return j?.attempts[0]?.state === 'RUNNING' ? j : null;
      }, { timeoutMs: 120_000 });
    const trainer = { steps: 300, saveEvery: 300, simulatedStepMs: 500 };
    const orphaned = (await stack.api.experiments.launch.mutate({ clientRequestId: 'lifecycle-orphan-1', spec: oneArm('orphaned', 'slurm', 308, trainer) })).experiment;
    const forgotten = (await stack.api.experiments.launch.mutate({ clientRequestId: 'lifecycle-lost-1', spec: oneArm('forgotten', 'ray', 309, trainer) })).experiment;
    const stopped = (await stack.api.experiments.launch.mutate({ clientRequestId: 'lifecycle-stopped-1', spec: oneArm('stopped', 'ray', 310, trainer) })).experiment;
    const slurmJob = await running(orphaned.id);
    const rayJob = await running(forgotten.id);
    const stoppedJob = await running(stopped.id);

    // The worker goes away (its activities leave their jobs running for the next worker), and the
    // workflows are terminated without a cancel: nobody is left to look after any of the jobs.
    await stack.server.worker!.shutdown();
    for (const e of [orphaned, forgotten, stopped]) await stack.server.client.workflow.getHandle(e.workflowId).terminate('test: leave the job behind');
    const orphanKey = slurmJob.attempts[0]!.idempotencyKey;
    assert.equal((await slurmJobsForKey(slurmConf, orphanKey))[0]!.state, 'RUNNING');
    // Ray forgets one job: stopped and deleted behind Ballast's back. Ray's job monitor can write the
    // job's final status (JOB_SUPERVISOR_ACTOR_DIED) after a delete that follows the stop closely,
    // bringing the record back; so the job counts as forgotten only once Ray has said "no such job"
    // for three seconds running, and is deleted again if it comes back.
    const submissionId = rayJob.attempts[0]!.backendJobId!;
    await rayRequest(rayAddress, 'POST', `/api/jobs/${submissionId}/stop`);
    let lastSeen = '';
    let goneSince: number | null = null;
    await pollUntil(
      'Ray to forget the job for good',
      async () => {
        const r = await rayRequest(rayAddress, 'GET', `/api/jobs/${submissionId}`);
        lastSeen = `GET ${r.status} ${r.body.slice(0, 200)}`;
        if (r.status === 404) {
          goneSince ??= Date.now();
          return Date.now() - goneSince >= 3000;
        }
        goneSince = null;
        // DELETE answers 200 once the job is terminal; before that it is refused, and polled again.
        const d = await rayRequest(rayAddress, 'DELETE', `/api/jobs/${submissionId}`);
        lastSeen += `; DELETE ${d.status}`;
        return false;
      },
      { timeoutMs: 60_000, intervalMs: 500, lastSeen: async () => lastSeen },
    );
    // The other is stopped behind Ballast's back and kept: it ends while no workflow follows it.
    const stoppedId = stoppedJob.attempts[0]!.backendJobId!;
    await rayRequest(rayAddress, 'POST', `/api/jobs/${stoppedId}/stop`);
    await pollUntil('Ray to stop the job', async () => /"status": ?"STOPPED"/.test((await rayRequest(rayAddress, 'GET', `/api/jobs/${stoppedId}`)).body), {
      timeoutMs: 30_000,
    });

    const worker = await startWorker({
      config: stack.config,
      temporalAddress: stack.server.temporalAddress,
      db: stack.server.db.db,
      client: stack.server.client,
      backends: stack.server.backends,
      log: createLogger(stack.config),
    });
    try {
      const { summary, run: pass } = await stack.api.ops.reconcileNow.mutate();
      assert.ok(pass);
      const findings = JSON.stringify(pass.findings, null, 1);
      const orphan = pass.findings.find((f) => f.idempotencyKey === orphanKey);
      assert.equal(orphan?.action, 'orphan_cancelled', findings);
      assert.match(orphan.detail, /experiment workflow .* is TERMINATED/);
      const left = await slurmJobsForKey(slurmConf, orphanKey);
      assert.ok(left.every((j) => !['RUNNING', 'PENDING'].includes(j.state)), JSON.stringify(left));
      assert.equal((await trainingJob(stack, orphaned.id))!.attempts[0]!.state, 'CANCELLED');

      const lost = (await trainingJob(stack, forgotten.id))!.attempts[0]!;
      const marked = pass.findings.find((f) => f.idempotencyKey === lost.idempotencyKey);
      assert.equal(marked?.action, 'marked_lost', `${findings}\nthe attempt: ${JSON.stringify(lost, null, 1)}`);
      assert.equal(lost.state, 'LOST');
      // Its time is charged from its start to when it was found lost.
      assert.ok(lost.cpuSeconds > 0, JSON.stringify(lost));

      const ended = (await trainingJob(stack, stopped.id))!.attempts[0]!;
      const recorded = pass.findings.find((f) => f.idempotencyKey === ended.idempotencyKey);
      assert.equal(recorded?.action, 'final_state_recorded', `${findings}\nthe attempt: ${JSON.stringify(ended, null, 1)}`);
      assert.match(recorded.detail, /the backend reports CANCELLED.*experiment workflow .* is TERMINATED/);
      assert.equal(ended.state, 'CANCELLED');
      assert.ok(ended.endedAt, JSON.stringify(ended));

      assert.deepEqual(
        { orphansCancelled: summary.orphansCancelled >= 1, markedLost: summary.markedLost, finalStatesRecorded: summary.finalStatesRecorded },
        { orphansCancelled: true, markedLost: 1, finalStatesRecorded: 1 },
        findings,
      );
      const listed = await stack.api.ops.reconciliations.query({ limit: 1 });
      assert.deepEqual(listed.map((r) => r.id), [pass.id]);
    } finally {
      await worker.shutdown();
    }
  });
});
