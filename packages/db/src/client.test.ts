import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmbeddedPostgres, type RunningPostgres } from '@ballast/postgres-dev';
import { createDb } from './client.js';

async function freePort(): Promise<number> {
  return await new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('connection pool (real PostgreSQL)', { timeout: 60_000 }, () => {
  let home: string;
  let server: RunningPostgres;
  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'ballast-pool-'));
    chmodSync(home, 0o755);
    server = await startEmbeddedPostgres({ stateDir: join(home, 'postgres'), host: '127.0.0.1', port: await freePort(), database: 'ballast_test', log: () => undefined });
  });
  after(async () => {
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('fails a query that cannot get a connection in time, instead of letting it wait forever', { timeout: 20_000 }, async () => {
    const handle = createDb(server.url, { max: 1, connectionTimeoutMillis: 300 });
    const held = await handle.pool.connect();
    try {
      await assert.rejects(handle.pool.query('SELECT 1'), /timeout/i);
    } finally {
      held.release();
      await handle.close();
    }
  });

  it('by default has more connections than a worker has activity slots (16)', { timeout: 20_000 }, async () => {
    const handle = createDb(server.url);
    try {
      const clients = await Promise.all(Array.from({ length: 17 }, async () => await handle.pool.connect()));
      for (const c of clients) c.release();
    } finally {
      await handle.close();
    }
  });
});
