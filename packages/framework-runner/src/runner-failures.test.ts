import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readStatusFile } from '@ballast/job-contract';
import { liveGroupMembers } from './proc.js';
import { readProcessRecord } from './process-record.js';
import { contractEnv, exitOf, logTail, defaultPython, startRunner, waitFor } from './test-support.js';

describe('framework runner: bad input and failures', { timeout: 120_000 }, () => {
  let root = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'framework-runner-bad-'));
  });
  after(async () => {
    if (root !== '') await rm(root, { recursive: true, force: true });
  });

  /** A job whose "framework" is a SIMULATED stand-in command (node -e), for the runner's failure paths. */
  const standIn = async (name: string, script: string, overrides: Record<string, unknown> = {}) => {
    const outputDir = join(root, name);
    const python = await defaultPython();
    const spec = {
      contractVersion: '0',
      kind: 'framework-train',
      framework: 'trl',
      launch: { argv: [process.execPath, '-e', script], env: {}, cwd: root },
      nativeOutputDir: join(outputDir, 'native'),
      steps: 4,
      saveEvery: 2,
      python,
      ...overrides,
    };
    const specPath = join(root, `${name}.json`);
    await writeFile(specPath, JSON.stringify(spec));
    return { outputDir, specPath };
  };

  it('(c) a bad spec exits 2 naming the field', async () => {
    for (const [name, overrides, field] of [
      ['no-steps', { steps: 0 }, /steps/],
      ['relative-cwd', { launch: { argv: ['x'], env: {}, cwd: 'relative' } }, /launch\.cwd/],
      ['unknown-framework', { framework: 'megatron' }, /framework/],
    ] as const) {
      const job = await standIn(name, '', overrides);
      const runner = await startRunner(contractEnv(job, 'att_1', join(root, 'scratch')), join(root, `${name}.log`));
      assert.equal((await exitOf(runner, 30_000)).code, 2, `${name}: exit 2`);
      const status = await readStatusFile(job.outputDir);
      assert.equal(status?.outcome, 'bad_input', name);
      assert.match(status.message ?? '', field, `${name}: ${status.message}`);
    }
    const missing = await standIn('missing-program', '', { launch: { argv: ['/nonexistent/python', '-m', 'trl'], env: {}, cwd: root } });
    const noProgram = await startRunner(contractEnv(missing, 'att_1', join(root, 'scratch')), join(root, 'missing-program.log'));
    assert.equal((await exitOf(noProgram, 30_000)).code, 2);
    assert.match((await readStatusFile(missing.outputDir))?.message ?? '', /launch\.argv\.0: could not be started \(ENOENT/);

    const notJson = await standIn('not-json', '');
    await writeFile(notJson.specPath, '{');
    const runner = await startRunner(contractEnv(notJson, 'att_1', join(root, 'scratch')), join(root, 'not-json.log'));
    assert.equal((await exitOf(runner, 30_000)).code, 2);
    assert.match((await readStatusFile(notJson.outputDir))?.message ?? '', /is not JSON/);
  });

  it('an environment without the framework is bad input: the framework is stopped, exit 2 naming python', async () => {
    const job = await standIn('no-trl', 'setInterval(() => {}, 1000)', { python: '/usr/bin/python3' });
    const runner = await startRunner(contractEnv(job, 'att_1', join(root, 'scratch')), join(root, 'no-trl.log'));
    assert.equal((await exitOf(runner, 60_000)).code, 2, `exit 2; log:\n${await logTail(runner.log)}`);
    const status = await readStatusFile(job.outputDir);
    assert.equal(status?.outcome, 'bad_input');
    assert.match(status.message ?? '', /python: environment 'default' \(\/usr\/bin\/python3\) lacks trl/);
    const record = await readProcessRecord(job.outputDir);
    assert.deepEqual(await liveGroupMembers(record!.pgid!), [], 'the framework was stopped');
  });

  it('a framework that fails exits 1 with its last stderr lines; one that ends early fails on the step count', async () => {
    const failing = await standIn('failing', "for (let i = 0; i < 30; i++) console.error('line ' + i); process.exit(3)");
    const runner = await startRunner(contractEnv(failing, 'att_1', join(root, 'scratch')), join(root, 'failing.log'));
    assert.equal((await exitOf(runner, 60_000)).code, 1);
    const status = await readStatusFile(failing.outputDir);
    assert.equal(status?.outcome, 'failed');
    assert.match(status.message ?? '', /the framework exited with code 3; its last stderr lines:\nline 10\n[\s\S]*line 29$/);
    assert.doesNotMatch(status.message ?? '', /line 9\n/);

    const short = await standIn('short', 'process.exit(0)');
    const early = await startRunner(contractEnv(short, 'att_1', join(root, 'scratch')), join(root, 'short.log'));
    assert.equal((await exitOf(early, 60_000)).code, 1);
    assert.match((await readStatusFile(short.outputDir))?.message ?? '', /exited 0, but no complete checkpoint while the spec asks for 4 steps/);
  });

  it('SIGTERM to the runner stops the framework group and fails the job', async () => {
    // The stand-in ignores SIGTERM in a worker of its group: the runner has to SIGKILL it after the grace time.
    // (The worker says it is ready in words its argv, which the runner logs, does not hold.)
    const worker = "process.on('SIGTERM', () => {}); console.log(['worker', 'ready'].join(' ')); setInterval(() => {}, 1000)";
    const script = `require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(worker)}], { stdio: 'inherit' }); setInterval(() => {}, 1000)`;
    const job = await standIn('terminated', script);
    const runner = await startRunner(contractEnv(job, 'att_1', join(root, 'scratch')), join(root, 'terminated.log'));
    const record = await waitFor('the framework to start', async () => (await readProcessRecord(job.outputDir))?.pgid ?? null, 30_000);
    await waitFor('the stand-in to be ready', async () => (await readFile(runner.log, 'utf8')).includes('worker ready'), 30_000);
    const sent = Date.now();
    runner.child.kill('SIGTERM');
    const exit = await exitOf(runner, 40_000);
    assert.equal(exit.code, 1, `exit 1; log:\n${await logTail(runner.log)}`);
    assert.ok(Date.now() - sent < 30_000, 'it stopped within the grace time and the SIGKILL wait');
    assert.deepEqual(await liveGroupMembers(record), [], 'no process of the framework group is left');
    const status = await readStatusFile(job.outputDir);
    assert.equal(status?.outcome, 'failed');
    assert.match(status.message ?? '', /received SIGTERM and stopped the framework/);
    assert.match(await readFile(runner.log, 'utf8'), /still running after 15 s: SIGKILL/);
  });
});
