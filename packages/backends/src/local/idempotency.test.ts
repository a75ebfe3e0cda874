import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createJsonExclusive, writeJsonAtomic } from '../json-files.js';
import { makeSandbox, nodeRequest, waitForState } from './fixtures/harness.js';
import type { Sandbox } from './fixtures/harness.js';
import { LocalLayout, localJobId } from './layout.js';
import { LocalBackend } from './local-backend.js';
import { readClaim, readDecision } from './records.js';
import type { ClaimRecord, LaunchSpec } from './records.js';
import { spawnRunner } from './spawn-runner.js';
import type { SubmitRequest } from '../backend.js';

const run = promisify(execFile);
let sandbox: Sandbox;
let layout: LocalLayout;
const GRACE_MS = 800;

before(async () => {
  sandbox = await makeSandbox();
  layout = new LocalLayout(sandbox.stateDir);
}, { timeout: 30_000 });
after(() => sandbox.cleanup(), { timeout: 120_000 });

/** Each execution appends its pid to runs.log in the output dir; exactly-once means one line. */
const COUNT_RUNS = `
  require('node:fs').appendFileSync(process.env.BALLAST_OUTPUT_DIR + '/runs.log', process.pid + '\\n');
  setTimeout(() => {}, 300);
`;

async function executions(request: SubmitRequest): Promise<number> {
  const text = await readFile(join(request.outputDir, 'runs.log'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).length;
}

/** The state a submitter leaves behind when it dies right after creating the claim. */
async function claimAsIfCrashed(request: SubmitRequest, claimedAt = new Date()): Promise<ClaimRecord> {
  const claim: ClaimRecord = {
    version: 1,
    backendJobId: localJobId(request.idempotencyKey),
    idempotencyKey: request.idempotencyKey,
    jobId: request.jobId,
    attemptId: request.attemptId,
    launchId: `crashed${claimedAt.getTime()}`,
    claimedAt: claimedAt.toISOString(),
    claimant: { pid: 999_999, hostname: hostname() },
  };
  assert.ok(await createJsonExclusive(layout.claim(claim.backendJobId), claim));
  return claim;
}

async function writeSpec(request: SubmitRequest, claim: ClaimRecord): Promise<void> {
  await mkdir(request.outputDir, { recursive: true });
  const spec: LaunchSpec = { launchId: claim.launchId, command: [...request.command], env: request.env, cwd: request.cwd };
  await writeJsonAtomic(layout.launchSpec(claim.backendJobId, claim.launchId), spec);
}

test('concurrent submits with one key in one worker launch once; the others adopt', { timeout: 30_000 }, async () => {
  const a = new LocalBackend({ stateDir: sandbox.stateDir, claimGraceMs: GRACE_MS });
  const b = new LocalBackend({ stateDir: sandbox.stateDir, claimGraceMs: GRACE_MS });
  const request = nodeRequest(sandbox, 'same-key', COUNT_RUNS);
  const results = await Promise.all([a.submit(request), b.submit(request), a.submit(request)]);
  assert.equal(results.filter((r) => !r.adopted).length, 1);
  for (const r of results) assert.deepEqual(r.handle, results[0]!.handle);
  await waitForState(a, results[0]!.handle, ['SUCCEEDED']);
  const again = await b.submit(request);
  assert.equal(again.adopted, true, 'a finished job is adopted too, never rerun');
  assert.equal(await executions(request), 1);
});

test('four worker processes racing on one key launch exactly one process', { timeout: 30_000 }, async () => {
  const request = nodeRequest(sandbox, 'raced-by-processes', COUNT_RUNS);
  const fixture = fileURLToPath(new URL('./fixtures/submit-once.js', import.meta.url));
  const outputs = await Promise.all(
    [1, 2, 3, 4].map(() => run(process.execPath, [fixture, sandbox.stateDir, JSON.stringify(request)])),
  );
  const results = outputs.map((o) => JSON.parse(o.stdout) as { adopted: boolean });
  assert.equal(results.filter((r) => !r.adopted).length, 1);
  const backend = new LocalBackend({ stateDir: sandbox.stateDir });
  const handle = await backend.findByKey(request.idempotencyKey);
  assert.ok(handle);
  await waitForState(backend, handle, ['SUCCEEDED']);
  assert.equal(await executions(request), 1);
});

test('a claim whose submitter died before launching is taken over after the grace period and run once', { timeout: 30_000 }, async () => {
  const backend = new LocalBackend({ stateDir: sandbox.stateDir, claimGraceMs: GRACE_MS });
  const request = nodeRequest(sandbox, 'died-before-launch', COUNT_RUNS);
  const stale = await claimAsIfCrashed(request);
  const young = await backend.status((await backend.findByKey(request.idempotencyKey))!);
  assert.ok(young.kind === 'state' && young.state === 'QUEUED', 'a fresh claim reads as launching');

  const started = Date.now();
  const { handle, adopted } = await backend.submit(request);
  assert.equal(adopted, false, 'the takeover launched it');
  assert.ok(Date.now() - started >= GRACE_MS - 50, 'it waited for the grace period');
  await waitForState(backend, handle, ['SUCCEEDED']);
  assert.equal(await executions(request), 1);
  assert.equal((await readDecision(layout.launchDecision(handle.backendJobId, stale.launchId)))?.decision, 'abandoned');
  assert.deepEqual(await readdir(layout.staleClaimsDir), [`${handle.backendJobId}.${stale.launchId}.json`]);
});

test('a claim whose submitter died after starting the runner but before recording its pid is adopted', { timeout: 30_000 }, async () => {
  const backend = new LocalBackend({ stateDir: sandbox.stateDir, claimGraceMs: GRACE_MS });
  const request = nodeRequest(sandbox, 'died-after-launch', COUNT_RUNS);
  const claim = await claimAsIfCrashed(request);
  await writeSpec(request, claim);
  await spawnRunner(layout, claim.backendJobId, claim.launchId);
  assert.equal((await readClaim(layout.claim(claim.backendJobId)))?.runner, undefined);

  const { handle, adopted } = await backend.submit(request);
  assert.equal(adopted, true);
  assert.ok((await readClaim(layout.claim(claim.backendJobId)))?.runner, 'the adopter recorded the runner');
  await waitForState(backend, handle, ['SUCCEEDED']);
  assert.equal(await executions(request), 1);
});

test('a runner that starts after its claim was taken over runs nothing', { timeout: 30_000 }, async () => {
  const backend = new LocalBackend({ stateDir: sandbox.stateDir, claimGraceMs: GRACE_MS });
  const request = nodeRequest(sandbox, 'slow-runner', COUNT_RUNS);
  // Claimed long enough ago that the grace period is over: the takeover is immediate.
  const stale = await claimAsIfCrashed(request, new Date(Date.now() - 10 * GRACE_MS));
  await writeSpec(request, stale);
  const { handle, adopted } = await backend.submit(request);
  assert.equal(adopted, false);

  const late = await spawnRunner(layout, stale.backendJobId, stale.launchId); // the old submitter's runner, late
  late.child.ref(); // keep this test alive until it exits
  const { ended } = late;
  assert.equal((await ended).code, 75, 'the late runner saw the launch abandoned');
  await waitForState(backend, handle, ['SUCCEEDED']);
  assert.equal(await executions(request), 1);
});

test('a claim abandoned by cancel stays cancelled when the key is submitted again', { timeout: 30_000 }, async () => {
  const backend = new LocalBackend({ stateDir: sandbox.stateDir, claimGraceMs: GRACE_MS });
  const request = nodeRequest(sandbox, 'cancelled-before-launch', COUNT_RUNS);
  await claimAsIfCrashed(request);
  const handle = (await backend.findByKey(request.idempotencyKey))!;
  await backend.cancel(handle);
  const again = await backend.submit(request);
  assert.equal(again.adopted, true);
  const observed = await backend.status(handle);
  assert.ok(observed.kind === 'state' && observed.state === 'CANCELLED');
  await sleep(300);
  assert.equal(await executions(request), 0);
});
