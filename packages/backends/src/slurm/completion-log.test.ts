import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { waitFor, waitForState } from '../local/fixtures/harness.js';
import { execFileRunner } from './cli.js';
import type { CommandRunner } from './cli.js';
import { slurmFixture } from './fixtures/cluster.js';
import type { SlurmFixture } from './fixtures/cluster.js';

let slurm: SlurmFixture;

before(async () => {
  slurm = await slurmFixture();
}, { timeout: 600_000 });
after(() => slurm.sandbox.cleanup(), { timeout: 120_000 });

/**
 * A stand-in, named as such, for a controller that has passed MinJobAge (300 s here) and forgotten its
 * finished jobs: squeue lists nothing and scontrol answers "Invalid job id". Every other command, and the
 * completion log itself, are the real cluster's.
 */
const forgetfulController: CommandRunner = (argv, env) => {
  if (argv[0] === 'squeue') return Promise.resolve({ code: 0, stdout: '', stderr: '' });
  if (argv[0] === 'scontrol' && argv.includes('show') && argv.includes('job')) {
    return Promise.resolve({ code: 1, stdout: '', stderr: 'slurm_load_jobs error: Invalid job id specified\n' });
  }
  return execFileRunner()(argv, env);
};

test('once the controller forgets a job, its completion record gives the final state, and the key is still adopted', { timeout: 120_000 }, async () => {
  const request = slurm.request('forgotten', "console.log('last words'); process.exit(3)");
  const { handle } = await slurm.backend().submit(request);
  await waitForState(slurm.backend(), handle, ['FAILED']);

  const forgetful = slurm.backend({ commandRunner: forgetfulController });
  const observed = await waitFor(
    () => forgetful.status(handle),
    (o) => o.kind === 'state' && o.state !== 'LOST',
    15_000,
    'the completion log to give the forgotten job a final state',
  );
  assert.ok(observed.kind === 'state');
  assert.equal(observed.state, 'FAILED');
  assert.equal(observed.exitCode, 3);
  assert.ok(observed.startedAt && observed.endedAt);
  assert.deepEqual(observed.logTail, ['last words']);

  assert.deepEqual(await forgetful.findByKey(request.idempotencyKey), handle);
  const again = await forgetful.submit(request);
  assert.deepEqual(again, { handle, adopted: true });
  assert.ok((await forgetful.listOwned()).some((h) => h.backendJobId === handle.backendJobId && h.idempotencyKey === request.idempotencyKey));
});

test('a job neither the controller nor the completion log knows is LOST', { timeout: 120_000 }, async () => {
  const forgetful = slurm.backend({ commandRunner: forgetfulController });
  const observed = await forgetful.status({ backend: forgetful.kind, backendJobId: '999999', idempotencyKey: 'never-ran' });
  assert.ok(observed.kind === 'state' && observed.state === 'LOST');
  assert.match(observed.detail ?? '', /neither the controller nor the completion log/);

  const noLog = slurm.backend({ commandRunner: forgetfulController, jobCompLog: null });
  const without = await noLog.status({ backend: noLog.kind, backendJobId: '999999', idempotencyKey: 'never-ran' });
  assert.ok(without.kind === 'state' && without.state === 'LOST');
  assert.match(without.detail ?? '', /keeps no completion log/);
});
