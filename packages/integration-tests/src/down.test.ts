import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { homePaths, loadConfig, repositoryRoot } from '@ballast/config';
import { isProcessAlive, readPidFile, type PidRecord } from '@ballast/daemon';
import { embeddedServicePidFiles } from '@ballast/server';
import { freshHome, removeTestHome } from './harness/stack.js';
import { exited, startUp, upEnvironment, waitForApi } from './harness/up-process.js';
import { pollUntil } from './harness/wait.js';

const CLI = join(repositoryRoot(), 'apps', 'cli', 'dist', 'main.js');

/** Runs the built `ballast` with this test's environment; fails if it has not finished within `timeoutMs`. */
function ballast(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { env, cwd: env['BALLAST_HOME'], timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error && (error as { killed?: boolean }).killed) reject(new Error(`ballast ${args.join(' ')} did not finish within ${timeoutMs} ms:\n${stderr}`));
      else resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('ballast down', { timeout: 300_000 }, () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let up: ChildProcess | null = null;
  const recorded: { name: string; record: PidRecord }[] = [];

  before(() => {
    home = freshHome('down');
  });
  after(() => {
    // Whatever the assertions found, leave no process of this home behind.
    up?.kill('SIGKILL');
    for (const { record } of recorded) if (isProcessAlive(record.pid, record.startTime)) process.kill(record.pid, 'SIGKILL');
    removeTestHome(home);
  });

  test('stops the embedded Temporal and PostgreSQL that a SIGKILLed `ballast up` left running', async () => {
    const upEnv = await upEnvironment(home);
    env = upEnv.env;
    up = startUp(env);
    await waitForApi(upEnv.api, up);

    // While it runs: a dataset URI holding terminal escapes comes back escaped in the refusal, exit 2.
    const spec = join(home, 'hostile.yaml');
    writeFileSync(
      spec,
      [
        'apiVersion: ballast.dev/v1alpha1',
        'kind: Experiment',
        'metadata: { name: hostile-uri }',
        'spec:',
        `  datasets: { regular: { uri: ${JSON.stringify('file:///nonexistent/x\x1b]0;pwned\x07\x1b[2J\u202e.jsonl')} } }`,
        '  arms: [{ name: baseline, mix: { components: [{ dataset: regular, fraction: 1 }] } }]',
        '',
      ].join('\n'),
    );
    const refused = await ballast(['launch', spec], env);
    assert.equal(refused.code, 2, `launch of a spec naming a missing dataset: exit code; stderr: ${refused.stderr}`);
    // Escaped by the API (JSON style) or by the CLI (\x1b): either way shown, never obeyed.
    assert.match(refused.stderr, /spec\.datasets\.regular\.uri: .*x\\(x1b|u001b)\]0;pwned/, `the URI, escaped, in: ${refused.stderr}`);
    assert.doesNotMatch(refused.stderr + refused.stdout, /[\x1b\x07\u202e]/, 'no raw escape reaches the terminal');

    const config = loadConfig({ env, cwd: home });
    for (const [name, pidFile] of [
      ['ballast up', homePaths(config).serverPidFile('all')],
      ...embeddedServicePidFiles(config).map((s) => [s.service, s.pidFile] as const),
    ] as const) {
      const record = readPidFile(pidFile);
      assert.ok(record && isProcessAlive(record.pid, record.startTime), `${name} is running with a pid file at ${pidFile}`);
      recorded.push({ name, record });
    }

    up.kill('SIGKILL');
    await exited(up);
    up = null;
    const orphans = recorded.filter((r) => r.name !== 'ballast up');
    for (const { name, record } of orphans) assert.ok(isProcessAlive(record.pid, record.startTime), `${name} outlived the killed ballast up`);

    const down = await ballast(['down'], env);
    assert.equal(down.code, 0, `ballast down: exit code; stderr: ${down.stderr}`);
    assert.match(down.stdout, /Temporal dev server \(pid \d+\)/);
    assert.match(down.stdout, /PostgreSQL \(pid \d+\)/);
    await pollUntil(
      'every process of this BALLAST_HOME to be gone after ballast down',
      async () => recorded.every(({ record }) => !isProcessAlive(record.pid, record.startTime)),
      { timeoutMs: 30_000, lastSeen: async () => recorded.filter(({ record }) => isProcessAlive(record.pid, record.startTime)).map((r) => r.name) },
    );

    const again = await ballast(['down'], env);
    assert.equal(again.code, 0, `a second ballast down: exit code; stderr: ${again.stderr}`);
    assert.match(again.stdout, /nothing was running/);

    const status = await ballast(['status'], env);
    assert.equal(status.code, 3, `ballast status with the API down: exit code; stderr: ${status.stderr}`);
  });
});
