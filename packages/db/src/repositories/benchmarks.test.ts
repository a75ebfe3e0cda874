import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BenchmarkInfo } from '@ballast/schema';
import { createDb, type DbHandle } from '../client.js';
import { migrate } from '../migrate.js';
import { freshTestDatabase, type TestDatabase } from '../testing.js';
import { addBenchmark, BenchmarkVersionExistsError, getBenchmark, listBenchmarks } from './benchmarks.js';

const entry = (version: number, description = 'Four questions.') =>
  BenchmarkInfo.parse({
    id: 'tiny-qa',
    version,
    category: 'capability',
    description,
    metric: 'accuracy',
    direction: 'higher_is_better',
    harness: { kind: 'inspect', task: 'file:///srv/models/qa.py#qa' },
  });

describe('benchmarks table (real PostgreSQL)', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let handle: DbHandle;
  before(async () => {
    database = await freshTestDatabase('benchmarks');
    handle = createDb(database.url, { max: 4 });
    await migrate(handle.pool);
  });
  after(async () => {
    await handle?.close();
    await database?.stop();
  });

  it('adds a version once: the same content again is idempotent, also when two callers race', async () => {
    const v1 = entry(1);
    const results = await Promise.all([1, 2, 3].map(() => addBenchmark(handle.db, { entry: v1, entryHash: 'sha256:a', createdBy: 'ana' })));
    assert.deepEqual(results.map((r) => r.created).sort(), [false, false, true], 'exactly one caller stored it');
    assert.ok(results.every((r) => r.benchmark.ref === 'tiny-qa@1' && r.benchmark.createdBy === 'ana'));
    const again = await addBenchmark(handle.db, { entry: v1, entryHash: 'sha256:a', createdBy: 'bo' });
    assert.equal(again.created, false);
    assert.equal(again.benchmark.createdBy, 'ana', 'the stored row is returned as it was');
    assert.deepEqual(again.benchmark.entry, v1);
  });

  it('refuses the same version with other content: versions are immutable', async () => {
    await assert.rejects(
      addBenchmark(handle.db, { entry: entry(1, 'changed'), entryHash: 'sha256:b', createdBy: 'ana' }),
      (error: unknown) => error instanceof BenchmarkVersionExistsError && error.code === 'BENCHMARK_VERSION_EXISTS' && error.ref === 'tiny-qa@1' && /bump the version/.test(error.message),
    );
    assert.equal((await getBenchmark(handle.db, 'tiny-qa@1'))?.entryHash, 'sha256:a');
    await assert.rejects(handle.pool.query("UPDATE benchmarks SET entry_hash = 'x' WHERE ref = 'tiny-qa@1'"), /immutable/);
    await assert.rejects(handle.pool.query("DELETE FROM benchmarks WHERE ref = 'tiny-qa@1'"), /immutable/);
  });

  it('lists every version, by id and version', async () => {
    await addBenchmark(handle.db, { entry: entry(2, 'changed'), entryHash: 'sha256:b', createdBy: 'ana' });
    const listed = await listBenchmarks(handle.db);
    assert.deepEqual(listed.map((b) => [b.ref, b.entry.description]), [
      ['tiny-qa@1', 'Four questions.'],
      ['tiny-qa@2', 'changed'],
    ]);
    assert.equal(await getBenchmark(handle.db, 'tiny-qa@3'), null);
  });
});
