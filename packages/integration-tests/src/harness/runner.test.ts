// The `npm test` runner's own parts (scripts/test/*.mjs): the reporter that records per-file durations
// and results, the package scheduler's kill switch, and the shared stack's per-test namespaces.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { repositoryRoot } from '@ballast/config';
import { sharedServices } from './shared-stack.js';
import { testConfig } from './stack.js';

interface FileTime {
  file: string;
  seconds: number;
  passed: boolean;
}
interface Results {
  passed: number;
  failed: number;
  skipped: number;
  files: FileTime[];
  running: { file: string }[];
  failures: string[];
}
interface RunnerModules {
  readResults(eventsFile: string, root: string): Results;
  slowestFiles(files: FileTime[], count?: number): string[];
  runPackages(options: object): { done: Promise<{ name: string; code: number; signal: string | null }[]>; stop(graceMs?: number): Promise<void>; running(): string[] };
}

const scripts = join(repositoryRoot(), 'scripts', 'test');
const load = async (name: string): Promise<Partial<RunnerModules>> => (await import(pathToFileURL(join(scripts, name)).href)) as Partial<RunnerModules>;
const { readResults, slowestFiles } = (await load('results.mjs')) as RunnerModules;
const { runPackages } = (await load('scheduler.mjs')) as RunnerModules;

const dir = mkdtempSync(join(tmpdir(), 'ballast-runner-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the npm test runner', { timeout: 120_000 }, () => {
  it('records each file once with its duration, and counts passed, failed (a timeout too) and skipped tests', () => {
    const files = join(dir, 'files');
    const events = join(dir, 'events.jsonl');
    spawnSync('mkdir', ['-p', files]);
    writeFileSync(join(files, 'ok.test.mjs'), "import { test, describe } from 'node:test';\ndescribe('s', () => { test('a', () => {}); test('b', { skip: true }, () => {}); });\n");
    writeFileSync(join(files, 'bad.test.mjs'), "import { test } from 'node:test';\ntest('fails', () => { throw new Error('no'); });\n");
    writeFileSync(join(files, 'stuck.test.mjs'), "import { test } from 'node:test';\ntest('waits forever', () => new Promise(() => setInterval(() => {}, 1000)));\n");
    // Without NODE_TEST_CONTEXT, which would make the inner runner think it is this file's child.
    const { NODE_TEST_CONTEXT: _context, ...outer } = process.env;
    const run = spawnSync(process.execPath, ['--test', '--test-timeout=1500', files], {
      env: { ...outer, BALLAST_TEST_EVENTS: events, NODE_OPTIONS: `--test-reporter=${join(scripts, 'reporter.mjs')} --test-reporter-destination=/dev/null` },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 1, `node --test should fail; output: ${run.stdout}${run.stderr}`);
    const results = readResults(events, files);
    assert.deepEqual({ passed: results.passed, failed: results.failed, skipped: results.skipped }, { passed: 1, failed: 2, skipped: 1 });
    assert.deepEqual(results.files.map((f) => f.file).sort(), ['bad.test.mjs', 'ok.test.mjs', 'stuck.test.mjs']);
    assert.equal(results.running.length, 0);
    const stuck = results.files.find((f) => f.file === 'stuck.test.mjs')!;
    assert.ok(!stuck.passed && stuck.seconds >= 1.5, `the stuck file ended failed at its timeout: ${JSON.stringify(stuck)}`);
    // Slowest first, a failed file marked so. Which file is slowest is not fixed: under load a file that
    // fails at once can take longer to start than the stuck one's 1.5 s timeout.
    const lines = slowestFiles(results.files, 3);
    const seconds = lines.map((line) => Number.parseFloat(line));
    assert.deepEqual(seconds, [...seconds].sort((a, b) => b - a), `slowest first:\n${lines.join('\n')}`);
    assert.ok(lines.some((line) => /stuck\.test\.mjs {2}\(failed\)$/.test(line)), `the stuck file is marked failed:\n${lines.join('\n')}`);
    assert.ok(lines.some((line) => / ok\.test\.mjs$/.test(line)), `the passing file is not marked:\n${lines.join('\n')}`);
  });

  it('names a file that started and never ended as still running', () => {
    const events = join(dir, 'partial.jsonl');
    writeFileSync(events, `${JSON.stringify({ event: 'start', file: join(dir, 'x.test.js'), at: Date.now() })}\n{"event":"end","fi`);
    assert.deepEqual(readResults(events, dir).running.map((r) => r.file), ['x.test.js']);
  });

  it('stops a package whose tests never end, its whole process group included', async () => {
    const pkgDir = join(dir, 'pkg');
    spawnSync('mkdir', ['-p', pkgDir]);
    const marker = join(dir, 'grandchild-alive');
    // A shell that starts a grandchild: stopping must reach both.
    const script = `node -e "setInterval(() => require('fs').writeFileSync('${marker}', String(Date.now())), 100)" & wait`;
    const scheduler = runPackages({ packages: [{ name: 'stuck', dir: pkgDir, scripts: { test: script } }], slots: 1, env: () => process.env, root: repositoryRoot(), write: () => undefined });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(scheduler.running(), ['stuck']);
    await scheduler.stop(1000);
    const [result] = await scheduler.done;
    assert.ok(result!.signal || result!.code !== 0, `the package ended by a signal: ${JSON.stringify(result)}`);
    const { statSync } = await import('node:fs');
    const last = statSync(marker).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(statSync(marker).mtimeMs, last, 'the grandchild stopped writing: it was stopped with its group');
  });

  const shared = sharedServices();
  it('gives each test stack a namespace with the search attributes, and a database, of its own on the shared services', { skip: !shared.temporalAddress || !shared.databaseUrl ? 'needs the shared stack npm test starts' : false }, async () => {
    const [a, b] = [await testConfig(join(dir, 'a')), await testConfig(join(dir, 'b'))];
    assert.equal(a.temporal.address, shared.temporalAddress);
    assert.notEqual(a.temporal.namespace, b.temporal.namespace);
    assert.notEqual(a.database.url, b.database.url);
    const connection = await Connection.connect({ address: shared.temporalAddress! });
    try {
      for (const namespace of [a.temporal.namespace, b.temporal.namespace]) {
        const client = new Client({ connection, namespace });
        // A query on a search attribute the namespace lacks is refused; this one must be answered.
        for await (const _ of client.workflow.list({ query: "BallastPhase = 'TRAINING' AND BallastExperimentId = 'x'" })) break;
      }
    } finally {
      await connection.close();
    }
  });
});
