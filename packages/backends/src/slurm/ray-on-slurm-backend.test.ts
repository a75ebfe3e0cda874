/**
 * Ray-on-Slurm end to end on the real single-node Slurm cluster: nodes=1 is all this machine has, so the
 * head runs as a job step and no worker node joins (planRayCluster's worker argv is unit-tested).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { InvalidSubmitRequestError } from '../errors.js';
import type { BackendJobHandle, BackendObservation } from '../backend.js';
import { waitFor } from '../local/fixtures/harness.js';
import { slurmFixture } from './fixtures/cluster.js';
import type { SlurmFixture } from './fixtures/cluster.js';
import { processesMentioning, rayVenv, rayVenvAbsent } from './fixtures/ray.js';
import { RAY_BOOTSTRAP_FAILED_EXIT } from './ray-on-slurm.js';
import type { RayOnSlurm } from './ray-on-slurm.js';
import type { SlurmSubmitRequest } from './sbatch.js';
import type { SlurmBackend } from './slurm-backend.js';

const TERMINAL = ['SUCCEEDED', 'FAILED', 'PREEMPTED', 'CANCELLED', 'LOST'];
const skip = rayVenvAbsent() ?? false;
if (skip) process.stdout.write(`skipping the Ray-on-Slurm tests: ${skip}\n`);

let slurm: SlurmFixture;
let backend: SlurmBackend;
/** Short (Ray's socket paths) and unique to this run, so every Ray process of these jobs mentions it. */
let tempRoot: string;

before(async () => {
  if (skip) return;
  slurm = await slurmFixture();
  backend = slurm.backend({ cancelTimeoutMs: 30_000 });
  tempRoot = await mkdtemp('/tmp/brt-');
}, { timeout: 600_000 });
after(async () => {
  await slurm?.sandbox.cleanup();
  if (tempRoot) await rm(tempRoot, { recursive: true, force: true });
}, { timeout: 120_000 });

function rayRequest(name: string, script: string, distributed: Partial<RayOnSlurm> = {}): SlurmSubmitRequest {
  return {
    ...slurm.request(name, ''),
    command: [rayVenv.python, '-c', script],
    resources: { cpus: 1, gpus: 0, nodes: 1 },
    distributed: { kind: 'ray', rayExecutable: rayVenv.ray, tempRoot, objectStoreMemoryMb: 100, startTimeoutSeconds: 120, ...distributed },
  };
}

/** The job's terminal observation; Ray's start takes seconds on a small machine, hence the long wait. */
function finished(handle: BackendJobHandle): Promise<BackendObservation> {
  return waitFor(
    () => backend.status(handle),
    (o) => o.kind === 'state' && TERMINAL.includes(o.state),
    120_000,
    `Ray-mode job ${handle.backendJobId} to end`,
  );
}

/** Logs once `line` has appeared in them (the job's output is written as it runs). */
function logsWith(handle: BackendJobHandle, line: string, timeoutMs = 90_000): Promise<string[]> {
  return waitFor(
    () => backend.logs(handle),
    (lines) => lines.includes(line),
    timeoutMs,
    `the line ${JSON.stringify(line)} in the job's log`,
  );
}

const DRIVER = `
import os, ray
ray.init()
@ray.remote
def square(x):
    return x * x
print("squares", ray.get([square.remote(i) for i in range(4)]))
print("nodes", len([n for n in ray.nodes() if n["Alive"]]))
print("cluster resources CPU", ray.cluster_resources().get("CPU"))
print("address", os.environ["RAY_ADDRESS"])
`;

test('a Ray-mode job starts a cluster in its allocation, runs the driver on it and leaves no Ray process', { skip, timeout: 300_000 }, async () => {
  const { handle } = await backend.submit(rayRequest('ray-ok', DRIVER));
  const observed = await finished(handle);
  const logs = await backend.logs(handle);
  assert.ok(observed.kind === 'state' && observed.state === 'SUCCEEDED', `${JSON.stringify(observed)}\n${logs.join('\n')}`);
  assert.equal(observed.exitCode, 0);
  assert.ok(logs.includes('squares [0, 1, 4, 9]'), logs.join('\n'));
  assert.ok(logs.includes('nodes 1'), logs.join('\n'));
  assert.ok(logs.includes('cluster resources CPU 1.0'), 'Ray offers the CPUs the job asked for, not the node\'s');
  assert.ok(logs.some((line) => /^address 127\.0\.0\.1:\d+$/.test(line) && !line.endsWith(':6379') && !line.endsWith(':6390')));
  assert.ok(logs.some((line) => /ballast ray-on-slurm: Ray cluster stopped/.test(line)), logs.join('\n'));
  assert.deepEqual(await processesMentioning(tempRoot), []);
});

test("a driver that exits 3 ends FAILED with exit code 3, and the cluster is stopped all the same", { skip, timeout: 300_000 }, async () => {
  const { handle } = await backend.submit(rayRequest('ray-fails', 'import ray, sys\nray.init()\nprint("giving up")\nsys.exit(3)'));
  const observed = await finished(handle);
  assert.ok(observed.kind === 'state' && observed.state === 'FAILED', JSON.stringify(observed));
  assert.equal(observed.exitCode, 3);
  assert.ok(observed.logTail?.includes('giving up'), observed.logTail?.join('\n'));
  assert.deepEqual(await processesMentioning(tempRoot), []);
});

test('cancelling a running Ray-mode job leaves none of its Ray processes within 30 s', { skip, timeout: 300_000 }, async () => {
  const script = 'import ray, time\nray.init()\nprint("driver ready", flush=True)\ntime.sleep(600)';
  const { handle } = await backend.submit(rayRequest('ray-cancel', script));
  try {
    await logsWith(handle, 'driver ready');
    assert.ok((await processesMentioning(tempRoot)).length > 0, 'the cluster runs while the driver does');
  } finally {
    await backend.cancel(handle);
  }
  const observed = await backend.status(handle);
  assert.ok(observed.kind === 'state' && observed.state === 'CANCELLED', JSON.stringify(observed));
  const left = await waitFor(
    () => processesMentioning(tempRoot),
    (pids) => pids.length === 0,
    30_000,
    `no process mentioning ${tempRoot} after the cancel`,
  );
  assert.deepEqual(left, []);
});

test('a cluster that cannot start fails the job with exit 69 and says why; the command never runs', { skip, timeout: 300_000 }, async () => {
  const request = rayRequest('ray-no-ray', 'print("should not run")', { rayExecutable: '/nonexistent/bin/ray' });
  const { handle } = await backend.submit(request);
  const observed = await finished(handle);
  assert.ok(observed.kind === 'state' && observed.state === 'FAILED', JSON.stringify(observed));
  assert.equal(observed.exitCode, RAY_BOOTSTRAP_FAILED_EXIT);
  const logs = (await backend.logs(handle)).join('\n');
  assert.match(logs, /the Ray cluster did not come up/);
  assert.doesNotMatch(logs, /should not run/);
  assert.deepEqual(await processesMentioning(tempRoot), []);
});

test('malformed Ray launch requests are refused before anything is submitted', { skip, timeout: 300_000 }, async () => {
  const good = rayRequest('ray-invalid', '');
  for (const distributed of [
    { rayExecutable: 'ray' },
    { headPort: 80 },
    { objectStoreMemoryMb: 10 },
    { tempRoot: '/a/very/long/temporary/directory/root/for/ray' },
    { tempRoot: '/tmp/$(touch x)' },
    { startTimeoutSeconds: 0 },
    { kind: 'mpi' as 'ray' },
  ]) {
    await assert.rejects(backend.submit({ ...good, distributed: { ...good.distributed!, ...distributed } }), InvalidSubmitRequestError, JSON.stringify(distributed));
  }
  assert.equal(await backend.findByKey(good.idempotencyKey), null);
});
