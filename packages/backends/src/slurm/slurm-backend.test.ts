import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { InvalidSubmitRequestError, LaunchFailedError, WrongBackendHandleError } from '../errors.js';
import { waitFor, waitForState } from '../local/fixtures/harness.js';
import { assertCancelLeavesNothing, slurmFixture, squeueByName } from './fixtures/cluster.js';
import type { SlurmFixture } from './fixtures/cluster.js';
import { slurmJobName } from './layout.js';
import type { SlurmBackend } from './slurm-backend.js';

const TERMINAL = ['SUCCEEDED', 'FAILED', 'PREEMPTED', 'CANCELLED', 'LOST'];
let slurm: SlurmFixture;
let backend: SlurmBackend;

before(async () => {
  slurm = await slurmFixture();
  backend = slurm.backend({ cancelTimeoutMs: 30_000 });
}, { timeout: 600_000 });
after(() => slurm.sandbox.cleanup(), { timeout: 120_000 });

test('a command that exits 0 ends SUCCEEDED with start and end times and its output in the log', { timeout: 120_000 }, async () => {
  const { handle, adopted } = await backend.submit(slurm.request('ok', "console.log('hello from slurm')"));
  assert.equal(adopted, false);
  assert.equal(handle.backend, 'slurm');
  assert.match(handle.backendJobId, /^\d+$/);
  const observed = await waitForState(backend, handle, TERMINAL);
  assert.ok(observed.kind === 'state');
  assert.equal(observed.state, 'SUCCEEDED');
  assert.equal(observed.exitCode, 0);
  assert.ok(observed.startedAt && observed.endedAt);
  assert.ok(Date.parse(observed.startedAt) <= Date.parse(observed.endedAt));
  assert.deepEqual(await backend.logs(handle), ['hello from slurm']);
});

test('exit 1 ends FAILED with the exit code and the last 20 log lines', { timeout: 120_000 }, async () => {
  const script = "for (let i = 1; i <= 30; i++) console.log('line ' + i); console.error('boom'); process.exit(1)";
  const { handle } = await backend.submit(slurm.request('fails', script));
  const observed = await waitForState(backend, handle, TERMINAL);
  assert.ok(observed.kind === 'state');
  assert.equal(observed.state, 'FAILED');
  assert.equal(observed.exitCode, 1);
  assert.equal(observed.detail, 'exited with code 1');
  assert.equal(observed.logTail?.length, 20);
  assert.equal(observed.logTail?.at(-1), 'boom');
  assert.deepEqual(await backend.logs(handle, { tailLines: 2 }), ['line 30', 'boom']);
});

test('a program that does not exist ends FAILED with the runner saying so', { timeout: 120_000 }, async () => {
  const request = { ...slurm.request('missing-program', ''), command: ['/nonexistent/ballast-program'] };
  const { handle } = await backend.submit(request);
  const observed = await waitForState(backend, handle, TERMINAL);
  assert.ok(observed.kind === 'state' && observed.state === 'FAILED');
  assert.equal(observed.exitCode, 127);
  assert.match(observed.logTail?.join('\n') ?? '', /could not start.*ENOENT/);
});

test('cancelling a sleeping job ends it CANCELLED with none of its processes left; cancel again is a no-op', { timeout: 120_000 }, async () => {
  await assertCancelLeavesNothing(backend, slurm, 'cancel');
});


test('a job Slurm refuses (no such partition) fails to launch and leaves no job under its key', { timeout: 120_000 }, async () => {
  const request = slurm.request('refused', '');
  const refusing = slurm.backend({ partition: 'no-such-partition' });
  await assert.rejects(refusing.submit(request), (e: unknown) => e instanceof LaunchFailedError && /Invalid partition/.test(e.message));
  assert.equal(await backend.findByKey(request.idempotencyKey), null);
});

test('submitting the same key twice, in turn and concurrently, leaves one Slurm job', { timeout: 120_000 }, async () => {
  const request = slurm.request('twice', 'setTimeout(() => {}, 2000)');
  const first = await backend.submit(request);
  const second = await backend.submit(request);
  assert.equal(first.adopted, false);
  assert.equal(second.adopted, true);
  assert.deepEqual(second.handle, first.handle);
  assert.deepEqual(await squeueByName(slurm.slurmConf, slurmJobName(request.idempotencyKey)).then((jobs) => jobs.map((j) => j.jobId)), [
    first.handle.backendJobId,
  ]);

  // Separate backend instances stand in for separate workers racing past the lookup.
  const racing = slurm.request('racing', 'setTimeout(() => {}, 2000)');
  const results = await Promise.all([1, 2, 3, 4].map(() => slurm.backend().submit(racing)));
  const ids = new Set(results.map((r) => r.handle.backendJobId));
  assert.equal(ids.size, 1, `all submitters agree on one job: ${[...ids].join(', ')}`);
  const jobs = await squeueByName(slurm.slurmConf, slurmJobName(racing.idempotencyKey));
  const live = jobs.filter((j) => j.state !== 'CANCELLED');
  assert.deepEqual(live.map((j) => j.jobId), [...ids], `one job not cancelled: ${JSON.stringify(jobs)}`);
  const observed = await waitForState(backend, results[0]!.handle, TERMINAL);
  assert.ok(observed.kind === 'state' && observed.state === 'SUCCEEDED');
  assert.deepEqual(await backend.findByKey(racing.idempotencyKey), results[0]!.handle);
});

test('findByKey and listOwned know submitted jobs; foreign or forged handles are refused', { timeout: 120_000 }, async () => {
  const request = slurm.request('known', '');
  const { handle } = await backend.submit(request);
  assert.deepEqual(await backend.findByKey(request.idempotencyKey), handle);
  assert.equal(await backend.findByKey(`never-submitted-${Date.now()}`), null);
  const owned = await backend.listOwned();
  assert.ok(owned.some((h) => h.backendJobId === handle.backendJobId && h.idempotencyKey === request.idempotencyKey));
  await assert.rejects(backend.status({ ...handle, backend: 'local' }), WrongBackendHandleError);
  await assert.rejects(backend.status({ ...handle, backendJobId: '1; true' }), WrongBackendHandleError);
  await assert.rejects(backend.status({ ...handle, idempotencyKey: 'another key' }), WrongBackendHandleError);
  await waitForState(backend, handle, TERMINAL);
});

test('a job requeued behind Ballast\'s back reads QUEUED or RUNNING with its restart count, keeping its id', { timeout: 120_000 }, async () => {
  const { handle } = await backend.submit(slurm.request('requeued', 'setInterval(() => {}, 1000)'));
  await waitForState(backend, handle, ['RUNNING']);
  const { execFile } = await import('node:child_process');
  await new Promise<void>((resolve, reject) =>
    execFile('scontrol', ['requeue', handle.backendJobId], { env: { PATH: '/usr/bin:/bin', SLURM_CONF: slurm.slurmConf }, timeout: 30_000 }, (e) =>
      e ? reject(e) : resolve(),
    ),
  );
  const observed = await waitFor(
    () => backend.status(handle),
    (o) => o.kind === 'state' && o.restarts === 1,
    15_000,
    'the requeued job to show restart count 1',
  );
  assert.ok(observed.kind === 'state' && ['QUEUED', 'RUNNING'].includes(observed.state), JSON.stringify(observed));
  assert.match(observed.detail ?? '', /requeued 1 time/);
  await backend.cancel(handle);
});

test('malformed requests are refused before anything is submitted', { timeout: 120_000 }, async () => {
  const good = slurm.request('invalid', '');
  for (const bad of [
    { ...good, command: [] },
    { ...good, cwd: 'relative' },
    { ...good, resources: { cpus: 1, gpus: 0, nodes: 0 } },
    { ...good, timeLimitMinutes: -1 },
  ]) {
    await assert.rejects(backend.submit(bad), InvalidSubmitRequestError);
  }
  assert.equal(await backend.findByKey(good.idempotencyKey), null);
});
