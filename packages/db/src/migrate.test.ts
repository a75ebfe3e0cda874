import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getTableConfig } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { startEmbeddedPostgres, type RunningPostgres } from '@ballast/postgres-dev';
import { createDb, type DbHandle } from './client.js';
import { migrate, MigrationChecksumError, MIGRATIONS_DIR } from './migrate.js';
import { insertExperimentOnce } from './repositories/experiments.js';
import * as schema from './schema.js';

async function freePort(): Promise<number> {
  return await new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A fresh database: on BALLAST_TEST_DATABASE_URL's server when set, else in an embedded PostgreSQL. */
async function freshDatabase(): Promise<{ url: string; stop: () => Promise<void> }> {
  const external = process.env['BALLAST_TEST_DATABASE_URL'];
  if (external) {
    const name = `ballast_dbtest_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: external });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(external);
    url.pathname = `/${name}`;
    return { url: url.toString(), stop: async () => undefined };
  }
  const home = mkdtempSync(join(tmpdir(), 'ballast-db-'));
  chmodSync(home, 0o755);
  const server: RunningPostgres = await startEmbeddedPostgres({
    stateDir: join(home, 'postgres'),
    host: '127.0.0.1',
    port: await freePort(),
    database: 'ballast_test',
    log: () => undefined,
  });
  return {
    url: server.url,
    stop: async () => {
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

describe('database (real PostgreSQL)', () => {
  let database: { url: string; stop: () => Promise<void> };
  let handle: DbHandle;
  before(async () => {
    database = await freshDatabase();
    handle = createDb(database.url);
  });
  after(async () => {
    await handle?.close();
    await database?.stop();
  });

  it('applies migrations once, even when several processes start together', async () => {
    const pools = [createDb(database.url), createDb(database.url), createDb(database.url)];
    try {
      const results = await Promise.all(pools.map((p) => migrate(p.pool)));
      const applied = results.map((r) => r.applied.length).sort();
      const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length;
      assert.ok(files >= 2);
      assert.deepEqual(applied, [0, 0, files], 'exactly one caller applied the migrations');
      const again = await migrate(handle.pool);
      assert.deepEqual(again.applied, []);
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
  });

  it('the drizzle schema matches the migrated tables column for column', async () => {
    const tables = Object.values(schema).map((t) => getTableConfig(t as Parameters<typeof getTableConfig>[0]));
    for (const table of tables) {
      const rows = await handle.pool.query<{ column_name: string; is_nullable: string }>(
        'SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = $1 ORDER BY column_name',
        [table.name],
      );
      const actual = rows.rows.map((r) => `${r.column_name}:${r.is_nullable === 'NO' ? 'not null' : 'null'}`);
      const expected = table.columns.map((c) => `${c.name}:${c.notNull ? 'not null' : 'null'}`).sort();
      assert.deepEqual(actual, expected, `table ${table.name}`);
    }
  });

  it('refuses an applied migration that was edited afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-migrations-'));
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      const file = join(dir, '0001_initial.sql');
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- edited\n`);
      await assert.rejects(migrate(handle.pool, dir), MigrationChecksumError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stores an experiment once per client request id', async () => {
    const row = (id: string) => ({
      id,
      name: 'x',
      clientRequestId: 'same-request-id',
      rawSpec: {},
      resolvedSpec: {},
      specHash: 'sha256:0',
      phase: 'PENDING',
      simulated: true,
      launchedBy: 'test',
      ballastVersion: '0.0.0',
      gitCommit: null,
      workflowId: `experiment-${id}`,
    });
    const arm = (experimentId: string) => [{ id: `arm_${experimentId.slice(4)}`, experimentId, name: 'a', seed: 0, resolved: {}, totalSteps: 1 }];
    const [a, b] = await Promise.all([
      insertExperimentOnce(handle.db, row('exp_aaaaaaaa'), arm('exp_aaaaaaaa')),
      insertExperimentOnce(handle.db, row('exp_bbbbbbbb'), arm('exp_bbbbbbbb')),
    ]);
    assert.equal(a!.experiment.id, b!.experiment.id);
    assert.deepEqual([a!.created, b!.created].sort(), [false, true]);
    const arms = await handle.pool.query('SELECT id FROM arms');
    assert.equal(arms.rowCount, 1, 'the losing request stored no arms');
  });
});
