import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { BallastConfig, postgresStateDir } from '@ballast/config';
import { lookupSystemUser, runningAsRoot, startEmbeddedPostgres, type RunningPostgres } from './index.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('embedded PostgreSQL with an owner-only BALLAST_HOME', { timeout: 180_000 }, () => {
  // The parent is 0700 too: nothing above the state directory needs to let `postgres` through it.
  const base = mkdtempSync(join(tmpdir(), 'ballast-pg-home-'));
  chmodSync(base, 0o700);
  const home = join(base, 'home');
  const config = BallastConfig.parse({ home, toolsDir: join(base, 'tools') });
  const stateDir = postgresStateDir(config);
  let running: RunningPostgres | null = null;

  after(async () => {
    await running?.stop();
    rmSync(base, { recursive: true, force: true });
    if (runningAsRoot()) rmSync(stateDir, { recursive: true, force: true });
  });

  it('starts, answers queries, and keeps its state directory 0700 (as root: outside the home, owned by postgres)', async () => {
    running = await startEmbeddedPostgres({ stateDir, host: '127.0.0.1', port: await freePort(), database: 'ballast_test', startTimeoutMs: 120_000, log: () => undefined });
    const client = new pg.Client({ connectionString: running.url });
    await client.connect();
    try {
      assert.equal((await client.query('select 1 as one')).rows[0]?.one, 1, 'the embedded PostgreSQL answers a query');
    } finally {
      await client.end();
    }
    const stats = statSync(stateDir);
    assert.equal(stats.mode & 0o777, 0o700, `state directory ${stateDir} is 0700`);
    assert.equal(statSync(join(stateDir, 'password')).mode & 0o077, 0, 'the password file has no group/other bits');
    if (runningAsRoot()) {
      assert.ok(!stateDir.startsWith(`${base}/`), `as root the state directory (${stateDir}) lies outside BALLAST_HOME`);
      assert.equal(stats.uid, lookupSystemUser('postgres')?.uid, 'as root the state directory belongs to postgres');
      assert.deepEqual(readdirSync(base), [], 'nothing was created under the owner-only home');
    } else {
      assert.equal(stateDir, join(home, 'postgres'));
    }
  });
});
