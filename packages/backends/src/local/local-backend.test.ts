import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { InvalidSubmitRequestError, LaunchFailedError, WrongBackendHandleError } from '../errors.js';
import { makeSandbox, nodeRequest, waitForState } from './fixtures/harness.js';
import type { Sandbox } from './fixtures/harness.js';
import { LocalBackend } from './local-backend.js';

let sandbox: Sandbox;
let backend: LocalBackend;
const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'LOST'];

before(async () => {
  sandbox = await makeSandbox();
  backend = new LocalBackend({ stateDir: sandbox.stateDir, claimGraceMs: 1_000 });
}, { timeout: 30_000 });
after(() => sandbox.cleanup(), { timeout: 120_000 });

test('a command that exits 0 ends SUCCEEDED with start and end times and its output in the log', { timeout: 30_000 }, async () => {
  const { handle, adopted } = await backend.submit(nodeRequest(sandbox, 'ok', "console.log('hello from the job')"));
  assert.equal(adopted, false);
  assert.equal(handle.backend, 'local');
  const observed = await waitForState(backend, handle, TERMINAL);
  assert.equal(observed.kind === 'state' && observed.state, 'SUCCEEDED');
  assert.ok(observed.kind === 'state' && observed.exitCode === 0);
  assert.ok(observed.kind === 'state' && observed.startedAt && observed.endedAt);
  assert.ok(observed.kind === 'state' && Date.parse(observed.startedAt!) <= Date.parse(observed.endedAt!));
  assert.deepEqual(await backend.logs(handle), ['hello from the job']);
});

test('exit 1 ends FAILED with the exit code and the last 20 log lines', { timeout: 30_000 }, async () => {
  const script = "for (let i = 1; i <= 30; i++) console.log('line ' + i); console.error('boom'); process.exit(1)";
  const { handle } = await backend.submit(nodeRequest(sandbox, 'fails', script));
  const observed = await waitForState(backend, handle, TERMINAL);
  assert.ok(observed.kind === 'state');
  assert.equal(observed.state, 'FAILED');
  assert.equal(observed.exitCode, 1);
  assert.equal(observed.detail, 'exited with code 1');
  assert.equal(observed.logTail?.length, 20);
  assert.equal(observed.logTail?.at(-1), 'boom');
  assert.equal(observed.logTail?.[0], 'line 12');
  assert.deepEqual(await backend.logs(handle, { tailLines: 2 }), ['line 30', 'boom']);
});

test('a program that does not exist ends FAILED, saying it never started', { timeout: 30_000 }, async () => {
  const request = { ...nodeRequest(sandbox, 'missing-program', ''), command: ['/nonexistent/ballast-program', '--flag'] };
  const { handle } = await backend.submit(request);
  const observed = await waitForState(backend, handle, TERMINAL);
  assert.ok(observed.kind === 'state');
  assert.equal(observed.state, 'FAILED');
  assert.match(observed.detail ?? '', /did not start.*ENOENT/);
});

test('a running job reads RUNNING; findByKey and listOwned know it', { timeout: 30_000 }, async () => {
  const { handle } = await backend.submit(nodeRequest(sandbox, 'runs', 'setTimeout(() => {}, 60_000)'));
  const observed = await waitForState(backend, handle, ['RUNNING']);
  assert.ok(observed.kind === 'state' && observed.startedAt);
  assert.deepEqual(await backend.findByKey('runs'), handle);
  assert.equal(await backend.findByKey('never-submitted'), null);
  const owned = await backend.listOwned();
  assert.ok(owned.some((h) => h.idempotencyKey === 'runs'));
  assert.ok(owned.some((h) => h.idempotencyKey === 'ok'));
  await backend.cancel(handle);
});

test('an unknown key reads LOST; a handle from another backend or with a forged id is refused', { timeout: 30_000 }, async () => {
  const unknown = { backend: 'local' as const, backendJobId: 'nope-0000000000000000', idempotencyKey: 'nope' };
  await assert.rejects(backend.status(unknown), WrongBackendHandleError);
  const { handle } = await backend.submit(nodeRequest(sandbox, 'known', ''));
  await assert.rejects(
    backend.status({ ...handle, backend: 'slurm' as never }),
    (e: unknown) => e instanceof WrongBackendHandleError && e.code === 'BACKEND_WRONG_HANDLE',
  );
  const fresh = new LocalBackend({ stateDir: `${sandbox.dir}/other-state` });
  const observed = await fresh.status(handle);
  assert.ok(observed.kind === 'state' && observed.state === 'LOST');
});

test('malformed requests are refused before anything is claimed', { timeout: 30_000 }, async () => {
  const good = nodeRequest(sandbox, 'invalid', '');
  for (const bad of [
    { ...good, command: [] },
    { ...good, cwd: 'relative/dir' },
    { ...good, command: [process.execPath, 'a\0b'] },
    { ...good, env: { 'A=B': 'x' } },
    { ...good, resources: { cpus: 0, gpus: 0 } },
    // One machine, no scheduler: several nodes or a time limit cannot be honoured.
    { ...good, resources: { cpus: 1, gpus: 0, nodes: 2 } },
    { ...good, timeLimitMinutes: 10 },
  ]) {
    await assert.rejects(backend.submit(bad), (e: unknown) => e instanceof InvalidSubmitRequestError && e.code === 'BACKEND_INVALID_REQUEST');
  }
  assert.equal(await backend.findByKey('invalid'), null);
});

test('a launch that fails before the runner starts releases its claim, so a retry proceeds at once', { timeout: 30_000 }, async () => {
  await writeFile(`${sandbox.dir}/a-file`, '');
  const request = { ...nodeRequest(sandbox, 'unwritable-output', ''), outputDir: `${sandbox.dir}/a-file/out` };
  await assert.rejects(backend.submit(request), (e: unknown) => e instanceof LaunchFailedError && e.code === 'BACKEND_LAUNCH_FAILED');
  assert.equal(await backend.findByKey('unwritable-output'), null);
  const { handle, adopted } = await backend.submit({ ...request, outputDir: `${sandbox.dir}/out/retry` });
  assert.equal(adopted, false);
  const observed = await waitForState(backend, handle, TERMINAL);
  assert.ok(observed.kind === 'state' && observed.state === 'SUCCEEDED');
});
