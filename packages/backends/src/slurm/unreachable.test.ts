import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { waitFor, waitForState } from '../local/fixtures/harness.js';
import { BackendUnreachableError } from '../errors.js';
import { slurmFixture, squeueByName } from './fixtures/cluster.js';
import type { SlurmFixture } from './fixtures/cluster.js';
import { slurmJobName } from './layout.js';

let slurm: SlurmFixture;

// A cluster of this file's own: stopping the test runner's controller would break every other file using it.
before(async () => {
  slurm = await slurmFixture({ private: true });
}, { timeout: 600_000 });
after(async () => {
  await slurm?.sandbox.cleanup();
}, { timeout: 120_000 });

test('with the controller stopped, a running job is unreachable, never a state; tracking resumes when it returns', { timeout: 120_000 }, async () => {
  const backend = slurm.backend();
  const request = slurm.request('outage', "setTimeout(() => console.log('finished during the outage'), 4000)");
  const { handle } = await backend.submit(request);
  await waitForState(backend, handle, ['RUNNING']);

  await slurm.stopController();
  const during = await backend.status(handle);
  assert.equal(during.kind, 'unreachable', JSON.stringify(during));
  assert.match(during.kind === 'unreachable' ? during.detail : '', /Unable to contact slurm controller/);
  // "Cannot ask" must never read as "nothing there": that would make a caller submit a duplicate.
  await Promise.all([
    assert.rejects(backend.findByKey(request.idempotencyKey), BackendUnreachableError),
    assert.rejects(backend.submit(request), BackendUnreachableError),
    assert.rejects(backend.listOwned(), BackendUnreachableError),
  ]);

  await slurm.restartController();
  const after = await waitFor(
    () => backend.status(handle),
    (o) => o.kind === 'state' && o.state === 'SUCCEEDED',
    30_000,
    'the job to read SUCCEEDED once the controller is back',
  );
  assert.ok(after.kind === 'state' && after.exitCode === 0);
  assert.deepEqual(await backend.logs(handle), ['finished during the outage']);
  const jobs = await squeueByName(slurm.slurmConf, slurmJobName(request.idempotencyKey));
  assert.deepEqual(jobs.map((j) => j.jobId), [handle.backendJobId]);
});
