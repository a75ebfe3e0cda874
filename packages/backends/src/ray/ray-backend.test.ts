import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidSubmitRequestError } from '../errors.js';
import { BackendUnreachableError, CancelTimeoutError } from '../errors.js';
import { makeSandbox, nodeRequest, rayHead, waitForState } from './fixtures/ray-head.js';
import type { Sandbox } from './fixtures/ray-head.js';
import { RayBackend } from './ray-backend.js';
import { hostileStrings } from '../testing/hostile-strings.js';

let sandbox: Sandbox;
let address: string;
let backend: RayBackend;

before(async () => {
  address = await rayHead();
  sandbox = await makeSandbox();
  backend = new RayBackend({ address });
}, { timeout: 600_000 });
after(() => sandbox.cleanup(), { timeout: 120_000 });

test('a job that exits 0 ends SUCCEEDED with its times and output', { timeout: 120_000 }, async () => {
  const request = nodeRequest(sandbox, 'ok', `console.log('hello from ' + process.cwd())`);
  const { handle, adopted } = await backend.submit(request);
  assert.equal(adopted, false);
  assert.equal(handle.backend, 'ray');
  const observation = await waitForState(backend, handle, ['SUCCEEDED', 'FAILED']);
  assert.equal(observation.kind === 'state' && observation.state, 'SUCCEEDED');
  assert.ok(observation.kind === 'state');
  assert.equal(observation.exitCode, 0);
  assert.ok(observation.startedAt && observation.endedAt && observation.startedAt <= observation.endedAt);
  assert.ok((await backend.logs(handle, { tailLines: 5 })).includes(`hello from ${sandbox.dir}`), 'runs in the request cwd');
  assert.ok(existsSync(request.outputDir), 'the output directory is created');
});

test('a job that exits 1 ends FAILED with its exit code and a log tail', { timeout: 120_000 }, async () => {
  const { handle } = await backend.submit(
    nodeRequest(sandbox, 'fails', `console.log('line before'); console.error('boom: bad config'); process.exit(1)`),
  );
  const observation = await waitForState(backend, handle, ['SUCCEEDED', 'FAILED']);
  assert.ok(observation.kind === 'state');
  assert.equal(observation.state, 'FAILED');
  assert.equal(observation.exitCode, 1);
  assert.ok(observation.logTail?.includes('boom: bad config'), JSON.stringify(observation.logTail));
  assert.match(observation.detail ?? '', /exit code 1/);
});

test('cancel stops a running job and returns only once it is CANCELLED and its program has exited; a second cancel is a no-op', { timeout: 120_000 }, async () => {
  const marker = `ballast-cancel-${sandbox.run}`;
  const { handle } = await backend.submit(nodeRequest(sandbox, 'sleeps', `console.log('sleeping'); setTimeout(() => {}, 600_000)`, { args: [marker] }));
  await waitForState(backend, handle, ['RUNNING']);
  await waitForPid(marker);
  await backend.cancel(handle);
  // Event order, not elapsed time: by the time cancel returns, Ray says CANCELLED and the program is gone.
  const afterCancel = await backend.status(handle);
  assert.equal(afterCancel.kind === 'state' && afterCancel.state, 'CANCELLED', 'terminal as soon as cancel returns');
  assert.deepEqual(await pidsWith(marker), [], 'the program exited before cancel returned');
  await backend.cancel(handle);
  const again = await backend.status(handle);
  assert.equal(again.kind === 'state' && again.state, 'CANCELLED');
});

test('submitting the same key twice, in sequence and concurrently, leaves one Ray job', { timeout: 120_000 }, async () => {
  const request = nodeRequest(sandbox, 'twice', `setTimeout(() => console.log('done'), 1000)`);
  const [a, b] = await Promise.all([backend.submit(request), backend.submit(request)]);
  const c = await backend.submit(request);
  assert.deepEqual(a.handle, b.handle);
  assert.deepEqual(c.handle, a.handle);
  assert.deepEqual([a.adopted, b.adopted, c.adopted].filter((adopted) => !adopted).length, 1);
  assert.deepEqual(await backend.findByKey(request.idempotencyKey), a.handle);

  const all = (await (await fetch(`${address}/api/jobs/`)).json()) as { metadata?: Record<string, string> }[];
  assert.equal(all.filter((job) => job.metadata?.idempotency_key === request.idempotencyKey).length, 1);
  assert.equal((await backend.listOwned()).filter((h) => h.idempotencyKey === request.idempotencyKey).length, 1);
  await waitForState(backend, a.handle, ['SUCCEEDED']);
});

test('hostile strings in argv, env and the key reach the program verbatim and never a shell', { timeout: 120_000 }, async () => {
  const pwned = '/tmp/pwned-ray';
  await rm(pwned, { force: true });
  const hostile = hostileStrings(pwned);
  // Ray's env_vars substitution leaves `$(`, backticks, quotes and newlines alone; `$NAME` is refused below.
  const hostileEnv = hostile.filter((value) => !/\$(\w|\{)/.test(value));
  const key = `test-${sandbox.run}/../$(touch ${pwned}-key)/\`x\`;'"\n`;
  const script = `
    const out = process.env.BALLAST_OUTPUT_DIR + '/seen.json';
    require('node:fs').writeFileSync(out, JSON.stringify({ argv: process.argv.slice(1), env: process.env.HOSTILE }));
  `;
  const request = nodeRequest(sandbox, 'hostile', script, { args: hostile, env: { HOSTILE: hostileEnv.join('|') }, key });
  const { handle } = await backend.submit(request);
  assert.match(handle.backendJobId, /^ballast-[A-Za-z0-9_-]+$/);
  await waitForState(backend, handle, ['SUCCEEDED']);

  const seen = JSON.parse(await readFile(join(request.outputDir, 'seen.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(seen, { argv: hostile, env: hostileEnv.join('|') });
  for (const suffix of ['', '-backtick', '-quote', '-dquote', '-newline', '-pipe', '-key']) {
    assert.equal(existsSync(`${pwned}${suffix}`), false, `${pwned}${suffix}`);
  }
  assert.deepEqual(await backend.findByKey(key), handle);

  await assert.rejects(
    backend.submit(nodeRequest(sandbox, 'expands', 'null', { env: { X: 'a ${PATH} b' } })),
    (error: unknown) => error instanceof InvalidSubmitRequestError && /env\.X/.test(error.message),
  );
});

test('an address that does not answer, or answers without Ray, is unreachable, never LOST', { timeout: 120_000 }, async () => {
  const request = nodeRequest(sandbox, 'nowhere', 'null');
  const refused = new RayBackend({ address: 'http://127.0.0.1:1', requestTimeoutMs: 2_000 });
  const { handle } = await backend.submit(request);
  const observation = await refused.status(handle);
  assert.equal(observation.kind, 'unreachable');
  await assert.rejects(refused.submit(request), BackendUnreachableError);
  await assert.rejects(refused.findByKey(request.idempotencyKey), BackendUnreachableError);

  // A proxy's bare 404, and a server that never answers: neither says anything about the job.
  const server = createServer((req, res) => {
    if (req.url?.includes('hang')) return;
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    const proxy = new RayBackend({ address: `http://127.0.0.1:${port}/`, requestTimeoutMs: 500 });
    assert.equal((await proxy.status(handle)).kind, 'unreachable');
    const hanging = new RayBackend({ address: `http://127.0.0.1:${port}/hang/`, requestTimeoutMs: 500 });
    const slow = await hanging.status(handle);
    assert.equal(slow.kind, 'unreachable');
  } finally {
    server.closeAllConnections();
    server.close();
  }
  await waitForState(backend, handle, ['SUCCEEDED']);
});

test('a key Ray has never seen is LOST when Ray answers', { timeout: 120_000 }, async () => {
  const handle = { backend: backend.kind, backendJobId: '', idempotencyKey: `test-${sandbox.run}/never-submitted` };
  const { raySubmissionId } = await import('./submission-id.js');
  handle.backendJobId = raySubmissionId(handle.idempotencyKey);
  const observation = await backend.status(handle);
  assert.equal(observation.kind === 'state' && observation.state, 'LOST');
  assert.equal(await backend.findByKey(handle.idempotencyKey), null);
  await backend.cancel(handle);
  assert.deepEqual(await backend.logs(handle), []);
});

test('a job whose Ray supervisor dies (as when its node goes) is PREEMPTED, not FAILED', { timeout: 120_000 }, async () => {
  const marker = `ballast-preempt-${sandbox.run}`;
  const { handle } = await backend.submit(nodeRequest(sandbox, 'preempted', `setTimeout(() => {}, 600_000)`, { args: [marker] }));
  await waitForState(backend, handle, ['RUNNING']);
  // The driver is the supervisor actor's direct child; kill that actor's process the way a dying node would.
  const driverPid = await waitForPid(marker);
  const stat = await readFile(`/proc/${driverPid}/stat`, 'utf8');
  const supervisorPid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  assert.match(await readFile(`/proc/${supervisorPid}/cmdline`, 'utf8'), /JobSupervisor/);
  process.kill(supervisorPid, 'SIGKILL');
  const observation = await waitForState(backend, handle, ['PREEMPTED', 'FAILED', 'CANCELLED']);
  assert.ok(observation.kind === 'state');
  assert.equal(observation.state, 'PREEMPTED');
  assert.match(observation.detail ?? '', /JOB_SUPERVISOR_ACTOR_DIED/);
  assert.equal(observation.exitCode, undefined);
});

/** Pids of live processes with `marker` as one of their argv words. */
async function pidsWith(marker: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').includes(marker)) pids.push(Number(name));
  }
  return pids;
}

async function waitForPid(marker: string): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [pid] = await pidsWith(marker);
    if (pid !== undefined) return pid;
    if (Date.now() > deadline) throw new Error(`timed out after 10 s waiting for a process with ${marker} in its argv`);
    await sleep(100);
  }
}

test('a job QUEUED for resources Ray cannot give is not reported CANCELLED: Ray cannot stop it yet', { timeout: 120_000 }, async () => {
  // Ray's stop is a call on the job's supervisor actor, which is unschedulable until the entrypoint's
  // resources are free (3 CPUs never are on the 2-CPU test head). Cancel must say so, not pretend.
  const request = nodeRequest(sandbox, 'queued', `require('node:fs').writeFileSync(process.env.BALLAST_OUTPUT_DIR + '/ran', '')`);
  request.resources = { cpus: 3, gpus: 0 };
  const { handle } = await backend.submit(request);
  await waitForState(backend, handle, ['QUEUED']);
  const impatient = new RayBackend({ address, cancelTimeoutMs: 1_500 });
  await assert.rejects(impatient.cancel(handle), CancelTimeoutError);
  const observation = await backend.status(handle);
  assert.equal(observation.kind === 'state' && observation.state, 'QUEUED');
  assert.equal(existsSync(join(request.outputDir, 'ran')), false);
});
