/**
 * The Slurm backend end to end through a real sshd (infra/ssh, on loopback) standing in for a login
 * node, against the real single-node Slurm cluster. The state dir is shared trivially: same host.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LaunchFailedError } from '../errors.js';
import { waitForState } from '../local/fixtures/harness.js';
import { hostileStrings } from '../testing/hostile-strings.js';
import { assertCancelLeavesNothing, slurmFixture } from './fixtures/cluster.js';
import type { SlurmFixture } from './fixtures/cluster.js';
import { sshdAbsent, sshdUp } from './fixtures/sshd.js';
import type { SshdConnection } from './fixtures/sshd.js';
import type { SlurmBackend } from './slurm-backend.js';
import { sshRunner } from './ssh-runner.js';
import type { SshRunnerOptions } from './ssh-runner.js';

const TERMINAL = ['SUCCEEDED', 'FAILED', 'PREEMPTED', 'CANCELLED', 'LOST'];
const skip = sshdAbsent() ?? false;
if (skip) process.stdout.write(`skipping the SSH backend tests: ${skip}\n`);

let sshd: SshdConnection;
let slurm: SlurmFixture;
let backend: SlurmBackend;
let ssh: SshRunnerOptions;

before(async () => {
  if (skip) return;
  sshd = await sshdUp();
  slurm = await slurmFixture();
  // -F none: nothing from this machine's ~/.ssh/config may help the test pass.
  ssh = { host: sshd.host, port: sshd.port, user: sshd.user, identityFile: sshd.identityFile, knownHostsFile: sshd.knownHostsFile, configFile: 'none' };
  backend = slurm.backend({ commandRunner: sshRunner(ssh), cancelTimeoutMs: 30_000 });
}, { timeout: 600_000 });
after(() => slurm?.sandbox.cleanup(), { timeout: 120_000 });

test('over ssh, a job is submitted once, ends SUCCEEDED with its log, and is found by key and listed', { skip, timeout: 120_000 }, async () => {
  const request = slurm.request('ssh-ok', "console.log('hello over ssh')");
  const { handle, adopted } = await backend.submit(request);
  assert.equal(adopted, false);
  const again = await backend.submit(request);
  assert.deepEqual(again, { handle, adopted: true });
  const observed = await waitForState(backend, handle, TERMINAL);
  assert.ok(observed.kind === 'state' && observed.state === 'SUCCEEDED', JSON.stringify(observed));
  assert.equal(observed.exitCode, 0);
  assert.deepEqual(await backend.logs(handle), ['hello over ssh']);
  assert.deepEqual(await backend.findByKey(request.idempotencyKey), handle);
  assert.ok((await backend.listOwned()).some((h) => h.backendJobId === handle.backendJobId));

  // Separate backends stand in for workers racing past the lookup, each over its own connections.
  const racing = slurm.request('ssh-racing', '');
  const results = await Promise.all([1, 2, 3].map(() => slurm.backend({ commandRunner: sshRunner(ssh) }).submit(racing)));
  assert.equal(new Set(results.map((r) => r.handle.backendJobId)).size, 1, JSON.stringify(results));
  assert.equal(results.filter((r) => !r.adopted).length <= 1, true);
  await waitForState(backend, results[0]!.handle, TERMINAL);
});

test('over ssh, exit 3 ends FAILED with the exit code and the log tail', { skip, timeout: 120_000 }, async () => {
  const { handle } = await backend.submit(slurm.request('ssh-fails', "console.error('bad input'); process.exit(3)"));
  const observed = await waitForState(backend, handle, TERMINAL);
  assert.ok(observed.kind === 'state' && observed.state === 'FAILED', JSON.stringify(observed));
  assert.equal(observed.exitCode, 3);
  assert.deepEqual(observed.logTail, ['bad input']);
});

test('over ssh, cancelling a running job ends it CANCELLED with none of its processes left', { skip, timeout: 120_000 }, async () => {
  await assertCancelLeavesNothing(backend, slurm, 'ssh-cancel');
});


test('hostile argv words and env values cross ssh verbatim and run nothing', { skip, timeout: 120_000 }, async () => {
  const pwned = join(slurm.sandbox.dir, 'pwned');
  const words = hostileStrings(pwned, [`$(touch ${pwned}-plain)`, '-n', '--help', ' two  spaces ', "'", '"']);
  const run = sshRunner(ssh);
  const program = [process.execPath, '-e', 'process.stdout.write(JSON.stringify({ argv: process.argv.slice(1), env: process.env.HOSTILE }))'];
  const result = await run([...program, ...words], { HOSTILE: words.join('\n'), PATH: '/usr/bin:/bin' });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { argv: words, env: words.join('\n') });
  assert.deepEqual((await readdir(slurm.sandbox.dir)).filter((name) => name.startsWith('pwned')), []);
});

test('hostile keys, argv and placement go through ssh and sbatch without reaching a shell', { skip, timeout: 120_000 }, async () => {
  const pwned = join(slurm.sandbox.dir, 'pwned');
  const words = hostileStrings(pwned);
  const key = `ssh/$(touch ${pwned}-key)/\`touch ${pwned}-key2\`;'" \n`;
  const script = "require('node:fs').writeFileSync(process.env.BALLAST_OUTPUT_DIR + '/seen.json', JSON.stringify(process.argv.slice(1)))";
  const request = { ...slurm.request('ssh-hostile', script, { args: words }), idempotencyKey: key };
  const { handle } = await backend.submit(request);
  const observed = await waitForState(backend, handle, TERMINAL);
  assert.ok(observed.kind === 'state' && observed.state === 'SUCCEEDED', JSON.stringify(observed));
  assert.deepEqual(JSON.parse(await readFile(join(request.outputDir, 'seen.json'), 'utf8')), words);
  assert.deepEqual(await backend.findByKey(key), handle);

  // The partition is the one operator string that reaches sbatch's argv as given.
  const refusing = slurm.backend({ commandRunner: sshRunner(ssh), partition: `$(touch ${pwned}-partition)` });
  await assert.rejects(refusing.submit(slurm.request('ssh-hostile-partition', '')), LaunchFailedError);
  for (const suffix of ['dollar', 'backtick', 'quote', 'dquote', 'newline', 'pipe', 'key', 'key2', 'partition']) {
    assert.equal(existsSync(`${pwned}-${suffix}`), false, suffix);
  }
});

test('a login node whose host key does not match, or that refuses our key, is unreachable, never a job state', { skip, timeout: 120_000 }, async () => {
  const request = slurm.request('ssh-unreachable', '');
  const { handle } = await backend.submit(request);
  // Another key where the login node's should be: ssh must refuse to talk to it.
  const forgedKnownHosts = join(slurm.sandbox.dir, 'forged_known_hosts');
  const clientKey = (await readFile(`${sshd.identityFile}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
  await writeFile(forgedKnownHosts, `[${sshd.host}]:${sshd.port} ${clientKey}\n`);
  const wrongIdentity = join(slurm.sandbox.dir, 'not-authorized');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongIdentity]);

  for (const [label, options] of [
    ['host key mismatch', { ...ssh, knownHostsFile: forgedKnownHosts }],
    ['key not authorized', { ...ssh, identityFile: wrongIdentity }],
  ] as const) {
    const blind = slurm.backend({ commandRunner: sshRunner(options) });
    const observed = await blind.status(handle);
    assert.equal(observed.kind, 'unreachable', `${label}: ${JSON.stringify(observed)}`);
    assert.match(observed.kind === 'unreachable' ? observed.detail : '', /ssh to .* failed \(exit 255\)/, label);
    await assert.rejects(blind.findByKey(request.idempotencyKey), /unreachable/, label);
  }
  await waitForState(backend, handle, TERMINAL);
});
