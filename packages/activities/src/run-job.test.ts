import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ActivityCancellationDetails, ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import type { ArtifactStore } from '@ballast/artifacts';
import { InMemoryBackend } from '@ballast/backends/testing/in-memory-backend';
import { ensureJob, listAttemptsOfJob, type JobRow } from '@ballast/db';
import { attemptKey } from '@ballast/schema';
import type { ActivityDeps } from './deps.js';
import { LOG_TAIL_TOTAL_CHARS } from './log-tail.js';
import { runContractJob } from './run-contract-job.js';
import { runAttempt, type AttemptOutcome } from './run-job.js';
import { insertArm, startTestDatabase, type TestDatabase } from './testing/test-database.js';

/** Polls until `check` holds; fails naming what it waited for. */
async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

const request = { command: ['/bin/true'], env: {}, cwd: '/tmp', outputDir: '/tmp', resources: { cpus: 1, gpus: 0 } };

describe('job attempts (MockActivityEnvironment, in-memory backend, real PostgreSQL)', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let jobs = 0;
  before(async () => {
    database = await startTestDatabase();
  });
  after(async () => {
    await database?.stop();
  });

  async function setUp() {
    jobs += 1;
    const suffix = `runjob${String(jobs).padStart(4, '0')}`;
    const armId = await insertArm(database.handle, suffix);
    const backend = new InMemoryBackend('local');
    const logs: string[] = [];
    const deps: ActivityDeps = {
      db: database.handle.db,
      store: {} as ArtifactStore,
      backends: { local: backend },
      temporal: {} as Client,
      paths: { artifacts: '/nonexistent', referenceDatasets: '/nonexistent', benchmarks: '/nonexistent' },
      pollIntervalMs: 20,
      log: (_level, message) => logs.push(message),
    };
    const job: JobRow = await ensureJob(database.handle.db, {
      id: `job_${suffix}`,
      armId,
      kind: 'train',
      backend: 'local',
      idempotencyKey: `job_${suffix}`,
      state: 'QUEUED',
      specUri: 'file:///nonexistent/spec.json',
      outputDir: '/nonexistent',
    });
    return { backend, deps, job, logs, key: attemptKey(job.id, 1) };
  }

  it('resumes from the heartbeat details after a worker shutdown, which leaves the job running; it submits once', { timeout: 30_000 }, async () => {
    const { backend, deps, job, logs, key } = await setUp();
    const first = new MockActivityEnvironment({ attempt: 1 });
    let details: unknown;
    first.on('heartbeat', (d: unknown) => (details = d));
    const running = first.run(() => runAttempt(deps, { job, attemptNumber: 1, request }));
    await waitFor('the job to be submitted', () => backend.stateOf(key) !== undefined);
    backend.set(key, { state: 'RUNNING', startedAt: new Date().toISOString() });
    await waitFor('a heartbeat naming the backend job', () => (details as { backendJobId?: string } | undefined)?.backendJobId !== undefined);
    first.cancel('WORKER_SHUTDOWN', new ActivityCancellationDetails({ workerShutdown: true }));
    await assert.rejects(running, CancelledFailure);
    assert.equal(backend.stateOf(key), 'RUNNING', 'a worker shutdown must not cancel the backend job');
    assert.ok(!backend.calls.some((c) => c.startsWith('cancel:')), `calls: ${backend.calls.join(', ')}`);

    // The retry (a new activity attempt) carries the last heartbeat's details.
    const second = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: details });
    backend.set(key, { state: 'SUCCEEDED', exitCode: 0 });
    const outcome = await second.run<[], AttemptOutcome, () => Promise<AttemptOutcome>>(() => runAttempt(deps, { job, attemptNumber: 1, request }));
    assert.equal(outcome.observation.state, 'SUCCEEDED');
    assert.equal(backend.calls.filter((c) => c.startsWith('submit:')).length, 1, `calls: ${backend.calls.join(', ')}`);
    assert.ok(logs.includes('resuming the tracking of a submitted job'), logs.join(' | '));
    assert.equal((await listAttemptsOfJob(deps.db, job.id))[0]?.state, 'SUCCEEDED');
  });

  it('on a cancel the workflow requested, cancels the backend job and records the attempt CANCELLED', { timeout: 30_000 }, async () => {
    const { backend, deps, job, key } = await setUp();
    const env = new MockActivityEnvironment();
    const running = env.run(() => runAttempt(deps, { job, attemptNumber: 1, request }));
    await waitFor('the job to be submitted', () => backend.stateOf(key) !== undefined);
    backend.set(key, { state: 'RUNNING', startedAt: new Date().toISOString() });
    await waitFor('the attempt to be recorded RUNNING', async () => (await listAttemptsOfJob(deps.db, job.id))[0]?.state === 'RUNNING');
    env.cancel('CANCELLED', new ActivityCancellationDetails({ cancelRequested: true }));
    await assert.rejects(running, CancelledFailure);
    assert.equal(backend.stateOf(key), 'CANCELLED');
    const cancelAt = backend.calls.findIndex((c) => c.startsWith('cancel:'));
    assert.ok(cancelAt >= 0, `the backend job was cancelled; calls: ${backend.calls.join(', ')}`);
    assert.ok(backend.calls.slice(cancelAt + 1).some((c) => c.startsWith('status:')), 'then its final state was asked for');
    assert.equal((await listAttemptsOfJob(deps.db, job.id))[0]?.state, 'CANCELLED');
  });

  it('records a re-run by the backend (same key) as a new attempt, without submitting again', { timeout: 30_000 }, async () => {
    const { backend, deps, job, key } = await setUp();
    const env = new MockActivityEnvironment();
    const running = env.run<[], AttemptOutcome, () => Promise<AttemptOutcome>>(() => runAttempt(deps, { job, attemptNumber: 1, request }));
    await waitFor('the job to be submitted', () => backend.stateOf(key) !== undefined);
    backend.set(key, { state: 'RUNNING', startedAt: new Date(Date.now() - 5000).toISOString() });
    await waitFor('attempt 1 to be recorded RUNNING', async () => (await listAttemptsOfJob(deps.db, job.id))[0]?.state === 'RUNNING');
    backend.set(key, { state: 'RUNNING', restarts: 1, startedAt: new Date().toISOString() });
    await waitFor('attempt 2 to be recorded', async () => (await listAttemptsOfJob(deps.db, job.id)).length === 2);
    backend.set(key, { state: 'SUCCEEDED', exitCode: 0, restarts: 1 });
    const outcome = await running;
    assert.equal(outcome.attemptNumber, 2);
    const attempts = await listAttemptsOfJob(deps.db, job.id);
    assert.deepEqual(attempts.map((a) => [a.number, a.state, a.idempotencyKey]), [
      [1, 'PREEMPTED', key],
      [2, 'SUCCEEDED', key],
    ]);
    assert.equal(backend.calls.filter((c) => c.startsWith('submit:')).length, 1);
  });

  it("a FAILED job's error carries its last log lines, capped, even when the status carries none", { timeout: 30_000 }, async () => {
    const { backend, deps, job, key } = await setUp();
    const env = new MockActivityEnvironment();
    const running = env.run(() => runContractJob(deps, {
      job,
      description: `training job ${job.id}`,
      command: [process.execPath, '/nonexistent/train.js'],
      specUri: 'file:///nonexistent/spec.json',
      seed: 1,
      resources: { cpus: 1, gpus: 0 },
      retries: { programFailures: 0 },
    }));
    await waitFor('the job to be submitted', () => backend.stateOf(key) !== undefined);
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    backend.appendLog(key, ...lines, 'x'.repeat(100_000), "ValueError: 'messages' must be an array");
    backend.set(key, { state: 'FAILED', exitCode: 2, detail: 'exited with code 2' });
    const error = await running.then(
      () => assert.fail('the job failed, so the activity must fail'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ApplicationFailure && error.nonRetryable, String(error));
    assert.match(error.message, /ended FAILED \(exit code 2\): exited with code 2/);
    assert.match(error.message, /--- last log lines ---\n[^]*line 30\n/);
    assert.match(error.message, /ValueError: 'messages' must be an array/);
    assert.doesNotMatch(error.message, /line 1\n/, 'only the last lines');
    assert.ok(error.message.length < LOG_TAIL_TOTAL_CHARS + 1000, `error of ${error.message.length} characters`);
  });
});
