/**
 * Two test runs at once (two checkouts running `npm test`) each get clusters of their own: two fixture
 * sets in two state directories both work, and stopping one leaves the other up. Real daemons: Slurm
 * with its own munged, sshd, a Ray head.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { sshdAbsent } from './slurm/fixtures/sshd.js';
import { SlurmBackend } from './slurm/slurm-backend.js';
import { makeSandbox, nodeRequest, waitForState } from './local/fixtures/harness.js';
import type { Sandbox } from './local/fixtures/harness.js';
import { privateCluster, stopPrivateCluster } from './fixtures/clusters.js';
import type { TestCluster } from './fixtures/clusters.js';

const run = promisify(execFile);

async function slurmRuns(cluster: TestCluster, sandbox: Sandbox, key: string): Promise<string> {
  const backend = new SlurmBackend({ stateDir: `${sandbox.stateDir}-${key}`, slurmConf: cluster.address });
  const { handle } = await backend.submit(nodeRequest(sandbox, key, "console.log('ran')"));
  const observed = await waitForState(backend, handle, ['SUCCEEDED', 'FAILED', 'CANCELLED', 'LOST'], 60_000);
  return observed.kind === 'state' ? observed.state : observed.kind;
}

/** Whether the cluster's controller answers `sinfo` (bounded: MessageTimeout is 5 s). */
async function controllerAnswers(cluster: TestCluster): Promise<boolean> {
  try {
    await run('sinfo', ['--noheader'], { env: { PATH: '/usr/local/bin:/usr/bin:/bin', SLURM_CONF: cluster.address }, timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

async function sshLogin(cluster: TestCluster): Promise<boolean> {
  const c = JSON.parse(cluster.address) as { host: string; port: number; user: string; identityFile: string; knownHostsFile: string };
  const argv = ['-F', 'none', '-n', '-T', '-p', String(c.port), '-l', c.user, '-i', c.identityFile, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes'];
  argv.push('-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${c.knownHostsFile}`, '-o', 'ConnectTimeout=5', c.host, 'true');
  try {
    await run('ssh', argv, { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

function rayAnswers(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = httpRequest(new URL('/api/version', address), { timeout: 5_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
    request.end();
  });
}

describe('two fixture sets in two run directories', { timeout: 900_000 }, () => {
  let sandbox: Sandbox | undefined;
  after(async () => {
    await sandbox?.cleanup();
  }, { timeout: 30_000 });

  test('two Slurm clusters (each with its own munged) and two sshd run side by side; stopping one set leaves the other working', { timeout: 420_000 }, async () => {
    sandbox = await makeSandbox();
    const withSsh = sshdAbsent() === null;
    const [slurmA, slurmB] = await Promise.all([privateCluster('slurm'), privateCluster('slurm')]);
    const [sshA, sshB] = withSsh ? await Promise.all([privateCluster('ssh'), privateCluster('ssh')]) : [null, null];
    assert.notEqual(slurmA.address, slurmB.address);
    assert.notEqual(sshA?.address ?? 'a', sshB?.address ?? 'b', 'two sshd, on two ports');

    assert.deepEqual(await Promise.all([slurmRuns(slurmA, sandbox, 'on-a'), slurmRuns(slurmB, sandbox, 'on-b')]), ['SUCCEEDED', 'SUCCEEDED']);
    if (sshA && sshB) assert.deepEqual(await Promise.all([sshLogin(sshA), sshLogin(sshB)]), [true, true]);

    await stopPrivateCluster(slurmA);
    if (sshA) await stopPrivateCluster(sshA);
    assert.equal(await controllerAnswers(slurmA), false, "A's controller is gone");
    assert.equal(await controllerAnswers(slurmB), true, "B's controller still answers after A was stopped");
    assert.equal(await slurmRuns(slurmB, sandbox, 'on-b-after'), 'SUCCEEDED', 'B still runs jobs (its munged and slurmd too)');
    if (sshA && sshB) assert.deepEqual([await sshLogin(sshA), await sshLogin(sshB)], [false, true]);

    await stopPrivateCluster(slurmB);
    if (sshB) await stopPrivateCluster(sshB);
  });

  test('two Ray heads run side by side on ports of their own; stopping one leaves the other answering', { timeout: 420_000 }, async () => {
    const a = await privateCluster('ray');
    const b = await privateCluster('ray');
    assert.notEqual(a.address, b.address);
    assert.deepEqual([await rayAnswers(a.address), await rayAnswers(b.address)], [true, true]);
    await stopPrivateCluster(a);
    assert.deepEqual([await rayAnswers(a.address), await rayAnswers(b.address)], [false, true]);
    await stopPrivateCluster(b);
  });
});
