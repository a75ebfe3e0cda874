import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeSandbox, nodeRequest, waitFor, waitForState } from './fixtures/harness.js';
import type { Sandbox } from './fixtures/harness.js';
import { LocalBackend } from './local-backend.js';
import { liveGroupMembers, readProcStat } from './proc.js';
import { LocalLayout, localJobId } from './layout.js';
import { readClaim, readExit } from './records.js';

let sandbox: Sandbox;
let backend: LocalBackend;

before(async () => {
  sandbox = await makeSandbox();
  backend = new LocalBackend({ stateDir: sandbox.stateDir, claimGraceMs: 1_000, cancelGraceMs: 500 });
}, { timeout: 30_000 });
after(() => sandbox.cleanup(), { timeout: 120_000 });

async function isGone(pid: number): Promise<boolean> {
  const stat = await readProcStat(pid);
  return stat === null || stat.state === 'Z';
}

async function runnerPid(key: string): Promise<number> {
  const claim = await readClaim(new LocalLayout(sandbox.stateDir).claim(localJobId(key)));
  assert.ok(claim?.runner, 'claim records the runner');
  return claim.runner.pid;
}

// The job ignores SIGTERM and starts a grandchild that does too, so only SIGKILL of the whole group ends them.
const SIGTERM_IGNORING_TREE = `
  const { spawn } = require('node:child_process');
  const { writeFileSync } = require('node:fs');
  process.on('SIGTERM', () => {});
  const grandchild = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
  writeFileSync(process.env.BALLAST_OUTPUT_DIR + '/grandchild.pid', String(grandchild.pid));
  console.log('tree up');
  setInterval(() => {}, 1000);
`;

test('cancel kills the whole process group, grandchild included, and the job ends CANCELLED', { timeout: 30_000 }, async () => {
  const request = nodeRequest(sandbox, 'sigterm-ignoring', SIGTERM_IGNORING_TREE);
  const { handle } = await backend.submit(request);
  await waitForState(backend, handle, ['RUNNING']);
  const grandchildPid = Number(
    await waitFor(
      () => readFile(join(request.outputDir, 'grandchild.pid'), 'utf8').catch(() => ''),
      (text) => text.length > 0,
      15_000,
      'the job to write grandchild.pid',
    ),
  );
  const pgid = await runnerPid('sigterm-ignoring');
  assert.ok((await liveGroupMembers(pgid)).includes(grandchildPid), 'the grandchild is in the job group');

  await backend.cancel(handle);
  assert.deepEqual(await liveGroupMembers(pgid), [], 'no process of the group remains');
  assert.ok(await isGone(grandchildPid));
  assert.ok(await isGone(pgid));
  const observed = await backend.status(handle);
  assert.ok(observed.kind === 'state');
  assert.equal(observed.state, 'CANCELLED');

  await backend.cancel(handle); // idempotent
  assert.deepEqual(await backend.status(handle), observed);
});

test('a job that exits on SIGTERM is recorded by its runner and still reads CANCELLED', { timeout: 30_000 }, async () => {
  const { handle } = await backend.submit(nodeRequest(sandbox, 'polite', "console.log('waiting'); setInterval(() => {}, 1000)"));
  await waitForState(backend, handle, ['RUNNING']);
  await backend.cancel(handle);
  const exit = await readExit(new LocalLayout(sandbox.stateDir).exitRecord(handle.backendJobId));
  assert.equal(exit?.signal, 'SIGTERM', 'SIGTERM was enough; the runner outlived it and recorded the end');
  const observed = await backend.status(handle);
  assert.ok(observed.kind === 'state');
  assert.equal(observed.state, 'CANCELLED');
  assert.ok(observed.endedAt, 'the runner wrote exit.json');
});

test('cancel after a job succeeded leaves it SUCCEEDED', { timeout: 30_000 }, async () => {
  const { handle } = await backend.submit(nodeRequest(sandbox, 'done-first', ''));
  await waitForState(backend, handle, ['SUCCEEDED']);
  await backend.cancel(handle);
  const observed = await backend.status(handle);
  assert.ok(observed.kind === 'state' && observed.state === 'SUCCEEDED');
});

test('LOST when the runner is SIGKILLed from outside; cancel then reaps the orphaned job', { timeout: 30_000 }, async () => {
  const { handle } = await backend.submit(nodeRequest(sandbox, 'orphaned', 'setInterval(() => {}, 1000)'));
  await waitForState(backend, handle, ['RUNNING']);
  const pgid = await runnerPid('orphaned');
  // RUNNING means the runner is alive; the command may not be spawned yet. Kill the runner only once it is.
  await waitFor(() => liveGroupMembers(pgid), (members) => members.length >= 2, 15_000, "the command to start in the runner's process group");
  process.kill(pgid, 'SIGKILL');
  const observed = await waitForState(backend, handle, ['LOST']);
  assert.ok(observed.kind === 'state');
  assert.match(observed.detail ?? '', new RegExp(`runner pid ${pgid} .* gone without an exit record; processes \\d+ of its group are still running`));
  assert.equal((await liveGroupMembers(pgid)).length, 1, 'the command itself survived its runner');

  await backend.cancel(handle);
  assert.deepEqual(await liveGroupMembers(pgid), []);
  const after = await backend.status(handle);
  assert.ok(after.kind === 'state' && after.state === 'CANCELLED');
});

test('cancel of a key never submitted leaves no trace: the key still submits and runs to SUCCEEDED', { timeout: 30_000 }, async () => {
  const key = 'cancelled-before-submit';
  const handle = { backend: 'local' as const, backendJobId: localJobId(key), idempotencyKey: key };
  const layout = new LocalLayout(sandbox.stateDir);
  const before = await backend.status(handle);
  await backend.cancel(handle);
  // A stray cancel must not leave a marker behind: the first submit under the key would read CANCELLED.
  assert.equal(existsSync(layout.jobDir(handle.backendJobId)), false, 'no job directory was created');
  assert.equal(existsSync(layout.claim(handle.backendJobId)), false, 'no claim was created');
  assert.deepEqual(await backend.status(handle), before, 'the status is what it was before the cancel');

  const { handle: submitted } = await backend.submit(nodeRequest(sandbox, key, "console.log('ran')"));
  assert.equal(submitted.backendJobId, handle.backendJobId);
  const observed = await waitForState(backend, submitted, ['SUCCEEDED', 'FAILED', 'CANCELLED', 'LOST']);
  assert.ok(observed.kind === 'state' && observed.state === 'SUCCEEDED', JSON.stringify(observed));
});
