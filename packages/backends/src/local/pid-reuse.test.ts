import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { createJsonExclusive, writeJsonAtomic } from '../json-files.js';
import { makeSandbox } from './fixtures/harness.js';
import type { Sandbox } from './fixtures/harness.js';
import { LocalLayout, localJobId } from './layout.js';
import { LocalBackend } from './local-backend.js';
import { readProcStat } from './proc.js';
import type { ClaimRecord, RunnerRecord } from './records.js';

let sandbox: Sandbox;
let layout: LocalLayout;

before(async () => {
  sandbox = await makeSandbox();
  layout = new LocalLayout(sandbox.stateDir);
}, { timeout: 30_000 });
after(() => sandbox.cleanup(), { timeout: 120_000 });

/** Records a launched job whose runner is `pid` with the given start time, as a submitter would have. */
async function recordJob(key: string, pid: number, startTime: string): Promise<void> {
  const backendJobId = localJobId(key);
  const launchId = `launch-${key}`;
  const claim: ClaimRecord = {
    version: 1,
    backendJobId,
    idempotencyKey: key,
    jobId: 'job',
    attemptId: 'attempt',
    launchId,
    claimedAt: new Date().toISOString(),
    claimant: { pid: process.pid, hostname: 'test' },
    runner: { pid, startTime },
  };
  assert.ok(await createJsonExclusive(layout.claim(backendJobId), claim));
  const runner: RunnerRecord = { launchId, pid, startTime, startedAt: new Date().toISOString() };
  await writeJsonAtomic(layout.runnerRecord(backendJobId), runner);
}

test('a live process that reuses the runner pid is neither RUNNING nor signalled by cancel', { timeout: 30_000 }, async () => {
  // An unrelated process in its own group: what the pid might belong to after reuse.
  const stranger = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
  try {
    const pid = stranger.pid!;
    const actual = await readProcStat(pid);
    assert.ok(actual);
    const backend = new LocalBackend({ stateDir: sandbox.stateDir, cancelGraceMs: 200 });

    await recordJob('reused', pid, String(Number(actual.startTime) - 1));
    const handle = (await backend.findByKey('reused'))!;
    const observed = await backend.status(handle);
    assert.ok(observed.kind === 'state');
    assert.equal(observed.state, 'LOST');
    assert.match(observed.detail ?? '', /gone without an exit record/);
    await backend.cancel(handle);
    assert.equal((await readProcStat(pid))?.state !== 'Z', true, 'the stranger survived cancel');
    assert.equal((await readProcStat(pid))?.startTime, actual.startTime);

    // Control: with the true start time, the same pid is recognised as the job and cancel reaches it.
    await recordJob('genuine', pid, actual.startTime);
    const genuine = (await backend.findByKey('genuine'))!;
    assert.ok((await backend.status(genuine)).kind === 'state');
    assert.equal((await backend.status(genuine) as { state: string }).state, 'RUNNING');
    await backend.cancel(genuine);
    const after = await readProcStat(pid);
    assert.ok(after === null || after.state === 'Z');
  } finally {
    stranger.kill('SIGKILL');
  }
});
