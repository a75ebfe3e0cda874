import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { BackendUnreachableError } from '../errors.js';
import { makeSandbox } from '../local/fixtures/harness.js';
import type { Sandbox } from '../local/fixtures/harness.js';
import { hostileStrings } from '../testing/hostile-strings.js';
import { looksUnreachable } from './cli.js';
import { SlurmBackend } from './slurm-backend.js';
import { InvalidSshOptionsError } from '../errors.js';
import { remoteCommandLine, sshArgv, sshOptionIssues, sshRunner } from './ssh-runner.js';

let sandbox: Sandbox;
before(async () => {
  sandbox = await makeSandbox();
}, { timeout: 600_000 });
after(() => sandbox.cleanup(), { timeout: 120_000 });

/** A program that prints the argv and $HOSTILE it was given, as JSON. */
const ECHO = [process.execPath, '-e', 'process.stdout.write(JSON.stringify({ argv: process.argv.slice(1), env: process.env.HOSTILE ?? null }))'];

function hostile(pwned: string): string[] {
  return hostileStrings(pwned, [`$(touch ${pwned}-plain)`, 'two  spaced words ', '-n', '--version', '-', "'", '"', '\\']);
}

test('the remote command line reaches the program word for word through a POSIX shell, as sshd runs it', { timeout: 120_000 }, async () => {
  const pwned = join(sandbox.dir, 'pwned');
  const words = hostile(pwned);
  const env = { HOSTILE: words.join('\n'), SLURM_CONF: `/etc/slurm/$(touch ${pwned}-env)/slurm.conf` };
  const line = remoteCommandLine([...ECHO, ...words], env);
  // sshd hands the joined words to the login shell as `$SHELL -c LINE`; dash and bash must read it alike.
  for (const shell of ['/bin/sh', '/bin/bash'].filter((path) => existsSync(path))) {
    const { stdout } = await promisify(execFile)(shell, ['-c', line], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(stdout), { argv: words, env: env.HOSTILE }, shell);
  }
  assert.deepEqual((await readdir(sandbox.dir)).filter((name) => name.startsWith('pwned')), []);
});

test('the remote line sets the environment through env and quotes every word', { timeout: 120_000 }, () => {
  assert.equal(
    remoteCommandLine(['squeue', '--name=a b', ''], { PATH: '/usr/bin', SLURM_CONF: "/it's/slurm.conf" }),
    `env -- 'PATH=/usr/bin' 'SLURM_CONF=/it'\\''s/slurm.conf' 'squeue' '--name=a b' ''`,
  );
  // Words env would not run as a program, and names a shell could not pass on, are refused outright.
  assert.throws(() => remoteCommandLine(['A=B', 'x'], {}), RangeError);
  assert.throws(() => remoteCommandLine(['-i', 'x'], {}), RangeError);
  assert.throws(() => remoteCommandLine([], {}), RangeError);
  assert.throws(() => remoteCommandLine(['squeue'], { 'A B': '1' }), RangeError);
});

test("ssh's argv: strict host keys, batch mode, the destination after `--`, the command as one word", { timeout: 120_000 }, () => {
  const args = sshArgv(
    { host: 'login1', user: 'ballast', port: 2222, identityFile: '/k/id', knownHostsFile: '/k/known', configFile: 'none', options: { ControlMaster: 'auto' } },
    'LINE',
  );
  assert.deepEqual(args.slice(-3), ['--', 'login1', 'LINE']);
  for (const option of ['BatchMode=yes', 'StrictHostKeyChecking=yes', 'ConnectTimeout=10', 'UserKnownHostsFile=/k/known', 'IdentitiesOnly=yes', 'ControlMaster=auto']) {
    assert.ok(args.includes(option), option);
  }
  for (const [flag, value] of [['-p', '2222'], ['-l', 'ballast'], ['-i', '/k/id'], ['-F', 'none']]) {
    assert.equal(args[args.indexOf(flag!) + 1], value, flag);
  }
  assert.ok(args.includes('-n'), 'stdin from /dev/null');
  assert.ok(sshArgv({ host: 'h', strictHostKeyChecking: 'accept-new' }, 'x').includes('StrictHostKeyChecking=accept-new'));
});

test('options that would run local commands, skip host key checks or smuggle ssh flags are refused', { timeout: 120_000 }, () => {
  const cases: [Parameters<typeof sshOptionIssues>[0], RegExp][] = [
    [{ host: '-oProxyCommand=touch /tmp/pwned' }, /^host:/],
    [{ host: 'login1 -p 22' }, /^host:/],
    [{ host: '' }, /^host:/],
    [{ host: 'h', user: '-l root' }, /^user:/],
    [{ host: 'h', port: 0 }, /^port:/],
    [{ host: 'h', identityFile: 'relative/key' }, /^identityFile:/],
    [{ host: 'h', knownHostsFile: '/two words' }, /^knownHostsFile:/],
    [{ host: 'h', identityFile: '/keys/%d' }, /^identityFile:/],
    [{ host: 'h', configFile: '~/.ssh/config' }, /^configFile:/],
    [{ host: 'h', strictHostKeyChecking: 'no' as 'yes' }, /^strictHostKeyChecking:/],
    [{ host: 'h', connectTimeoutSeconds: 0 }, /^connectTimeoutSeconds:/],
    [{ host: 'h', options: { ProxyCommand: 'touch /tmp/pwned' } }, /^options\.ProxyCommand: not allowed/],
    [{ host: 'h', options: { localcommand: 'x' } }, /^options\.localcommand: not allowed/],
    [{ host: 'h', options: { StrictHostKeyChecking: 'no' } }, /not allowed/],
    [{ host: 'h', options: { ServerAliveInterval: '15\nProxyCommand x' } }, /single-line/],
  ];
  for (const [options, issue] of cases) {
    const issues = sshOptionIssues(options);
    assert.equal(issues.length, 1, `${JSON.stringify(options)}: ${issues.join('; ')}`);
    assert.match(issues[0]!, issue);
    assert.throws(() => sshRunner(options), InvalidSshOptionsError);
  }
  assert.deepEqual(sshOptionIssues({ host: '10.0.0.5' }), []);
  assert.deepEqual(sshOptionIssues({ host: 'fe80::1' }), []);
  assert.deepEqual(sshOptionIssues({ host: 'login-1.cluster.example', options: { serveraliveinterval: '15' } }), []);
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const noSshClient = (process.env['PATH'] ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, 'ssh')))
  ? false
  : 'no ssh client on PATH (Debian package openssh-client)';

test('ssh that cannot connect is unreachable (code null), and the Slurm backend says unreachable, never failed', { skip: noSshClient, timeout: 120_000 }, async () => {
  const port = await closedPort();
  const runner = sshRunner({ host: '127.0.0.1', port, configFile: 'none', knownHostsFile: join(sandbox.dir, 'known_hosts'), connectTimeoutSeconds: 2 });
  const result = await runner(['squeue'], { PATH: '/usr/bin' });
  assert.equal(result.code, null, JSON.stringify(result));
  assert.match(result.stderr, /Connection refused[\s\S]*ssh to 127\.0\.0\.1:\d+ failed \(exit 255\)/);
  assert.ok(looksUnreachable(result));

  const backend = new SlurmBackend({ stateDir: sandbox.stateDir, commandRunner: runner, jobCompLog: null });
  const handle = { backend: 'slurm' as const, backendJobId: '12', idempotencyKey: 'k' };
  const observed = await backend.status(handle);
  assert.equal(observed.kind, 'unreachable', JSON.stringify(observed));
  await assert.rejects(backend.findByKey('k'), BackendUnreachableError);
  await assert.rejects(backend.listOwned(), BackendUnreachableError);
  const request = {
    idempotencyKey: 'k', jobId: 'j', attemptId: 'a', command: ['true'], env: {}, cwd: sandbox.dir,
    outputDir: join(sandbox.dir, 'out'), resources: { cpus: 1, gpus: 0 },
  };
  await assert.rejects(backend.submit(request), BackendUnreachableError);
});

test('a program name env would misread comes back as not run, without starting ssh', { timeout: 120_000 }, async () => {
  const runner = sshRunner({ host: '127.0.0.1', port: await closedPort(), sshPath: '/nonexistent/ssh' });
  const result = await runner(['A=B'], {});
  assert.equal(result.code, null);
  assert.match(result.stderr, /not run over ssh/);
});
