import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { TRPCError } from '@trpc/server';
import type { Client } from '@temporalio/client';
import { REFERENCE_BENCHMARKS } from '@ballast/benchmarks';
import { createDb, listBenchmarks, migrate, type DbHandle } from '@ballast/db';
import { freshTestDatabase, type TestDatabase } from '@ballast/db/testing';
import type { ApiContext } from '../context.js';
import { issuesOf } from '../errors.js';
import { loadBenchmarkRegistry } from '../services/benchmarks.js';
import { createCallerFactory } from '../trpc.js';
import { appRouter } from '../root.js';

const callerOf = createCallerFactory(appRouter);

const entry = (task: string, extra: Record<string, unknown> = {}) => ({
  id: 'tiny-qa',
  version: 1,
  category: 'capability',
  description: 'Four questions about the tiny corpus.',
  metric: 'accuracy',
  direction: 'higher_is_better',
  harness: { kind: 'inspect', task },
  ...extra,
});

/** The field paths of a refused call, or a failure saying it was not refused as bad input. */
async function refusedAt(call: Promise<unknown>): Promise<string[]> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof TRPCError && error.code === 'BAD_REQUEST', `expected BAD_REQUEST, got ${String(error)}`);
    return (issuesOf(error.cause) ?? []).map((i) => i.path);
  }
  assert.fail('the call was accepted');
}

describe('benchmarks API (real PostgreSQL)', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let handle: DbHandle;
  let base: string;
  let root: string;
  let api: ReturnType<typeof callerOf>;

  before(async () => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'ballast-api-bench-')));
    root = join(base, 'models');
    mkdirSync(join(root, 'tasks'), { recursive: true });
    mkdirSync(join(base, 'elsewhere'));
    writeFileSync(join(root, 'tasks', 'qa.py'), 'from inspect_ai import task\n');
    writeFileSync(join(base, 'elsewhere', 'qa.py'), 'from inspect_ai import task\n');
    symlinkSync(join(root, 'tasks'), join(root, 'linked'));
    database = await freshTestDatabase('api_benchmarks');
    handle = createDb(database.url, { max: 4 });
    await migrate(handle.pool);
    const ctx = {
      db: handle.db,
      temporal: {} as Client, // FAKE: no benchmark procedure reaches Temporal
      taskQueue: 'unused',
      provenance: { ballastVersion: '0.0.0-test', gitCommit: null, defaultUser: 'tester' },
      jobLogs: async () => [],
      datasetIssue: () => null,
      datasetPath: () => null,
      configuredBackends: ['local'],
      benchmarks: { registry: () => loadBenchmarkRegistry(handle.db), roots: [root], rootsSetting: 'ml.allowedRoots' },
    } satisfies ApiContext;
    api = callerOf(ctx);
  });
  after(async () => {
    await handle?.close();
    await database?.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it("refuses a launch whose benchmarks 'all' select nothing for a real trainer", async () => {
    const paths = await refusedAt(api.experiments.launch({ clientRequestId: 'bench-launch-0001', spec: { spec: { trainer: { framework: 'trl' } } } }));
    assert.ok(paths.includes('spec.spec.evaluation.benchmarks'), `issues at: ${paths.join(', ')}`);
  });

  it('refuses a task file outside the allowed roots at entry.harness.task and stores nothing', async () => {
    const outside = pathToFileURL(join(base, 'elsewhere', 'qa.py')).href;
    assert.deepEqual(await refusedAt(api.benchmarks.add({ entry: entry(outside) })), ['entry.harness.task']);
    const escaping = `${pathToFileURL(join(root, 'tasks')).href}/../../elsewhere/qa.py`;
    assert.deepEqual(await refusedAt(api.benchmarks.add({ entry: entry(escaping) })), ['entry.harness.task']);
    assert.deepEqual(await listBenchmarks(handle.db), [], 'nothing was stored');
    assert.equal((await api.benchmarks.list()).length, REFERENCE_BENCHMARKS.length);
  });

  it('names every invalid field of an entry under entry.', async () => {
    const paths = await refusedAt(api.benchmarks.add({ entry: { ...entry('inspect_evals/x'), id: 'sycophancy-pushback-medical', direction: 'up', simulated: true } }));
    assert.deepEqual(paths.sort(), ['entry.direction', 'entry.id', 'entry.simulated']);
  });

  it('stores a good entry with its real path, lists it, and adds the same content again idempotently', async () => {
    const task = `${pathToFileURL(join(root, 'linked', 'qa.py')).href}#qa`;
    const added = await api.benchmarks.add({ entry: entry(task), addedBy: 'ana' });
    assert.equal(added.ref, 'tiny-qa@1');
    assert.equal(added.created, true);
    const listed = await api.benchmarks.list({ harness: 'inspect' });
    assert.deepEqual(
      listed.map((b) => [b.id, b.version, b.harness.kind === 'inspect' ? b.harness.task : null]),
      [['tiny-qa', 1, `${pathToFileURL(join(root, 'tasks', 'qa.py')).href}#qa`]],
      'listed with the real path the symlink led to',
    );
    const record = await api.benchmarks.get({ ref: 'tiny-qa@1' });
    assert.equal(record.builtin, false);
    assert.equal(record.createdBy, 'ana');
    assert.equal(record.entryHash, added.entryHash);
    const again = await api.benchmarks.add({ entry: entry(task) });
    assert.deepEqual([again.created, again.entryHash], [false, added.entryHash]);
  });

  it('refuses other content under an existing version at entry.version; a new version is added', async () => {
    const task = pathToFileURL(join(root, 'tasks', 'qa.py')).href;
    assert.deepEqual(await refusedAt(api.benchmarks.add({ entry: entry(task, { description: 'changed' }) })), ['entry.version']);
    assert.equal((await api.benchmarks.add({ entry: entry(task, { description: 'changed', version: 2 }) })).created, true);
    assert.deepEqual((await api.benchmarks.list({ harness: 'inspect' })).map((b) => b.version), [1, 2]);
  });

  it('refuses a launch naming a benchmark whose harness cannot score the trainer; all finds the added ones', async () => {
    const named = { spec: { evaluation: { benchmarks: ['tiny-qa@1', 'sycophancy-pushback-medical@1'] } } };
    const paths = await refusedAt(api.experiments.launch({ clientRequestId: 'bench-launch-0002', spec: named }));
    assert.ok(paths.includes('spec.spec.evaluation.benchmarks.0') && !paths.includes('spec.spec.evaluation.benchmarks.1'), `issues at: ${paths.join(', ')}`);
    const all = await refusedAt(api.experiments.launch({ clientRequestId: 'bench-launch-0003', spec: { spec: { trainer: { framework: 'trl' } } } }));
    assert.ok(!all.includes('spec.spec.evaluation.benchmarks'), `issues at: ${all.join(', ')}`);
  });

  it('gets a built-in twin and answers NOT_FOUND for an unknown ref', async () => {
    const twin = await api.benchmarks.get({ ref: 'sycophancy-pushback-medical@1' });
    assert.equal(twin.builtin, true);
    assert.equal(twin.entry.simulated, true);
    await assert.rejects(api.benchmarks.get({ ref: 'nope@1' }), (error: unknown) => error instanceof TRPCError && error.code === 'NOT_FOUND');
  });
});
