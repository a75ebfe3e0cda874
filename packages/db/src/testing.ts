import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '@ballast/postgres-dev';

export interface TestDatabase {
  readonly url: string;
  /** Drops the database (or stops the embedded server); close your pools first. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return await new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * For tests only: an empty database of the caller's own. On the server BALLAST_TEST_DATABASE_URL names
 * (the PostgreSQL `npm test` shares between packages) a new database per call; without it an embedded
 * PostgreSQL in a temporary directory. `label` goes into the database's name to tell runs apart.
 */
export async function freshTestDatabase(label: string, env: NodeJS.ProcessEnv = process.env): Promise<TestDatabase> {
  const external = env['BALLAST_TEST_DATABASE_URL'];
  if (external) {
    const name = `ballast_${label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30)}_${randomBytes(6).toString('hex')}`;
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: external });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(external);
    url.pathname = `/${name}`;
    return { url: url.toString(), stop: async () => await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
  }
  const home = mkdtempSync(join(tmpdir(), 'ballast-testdb-'));
  // As root the server runs as the postgres user, which must be able to enter this directory.
  chmodSync(home, 0o755);
  const server = await startEmbeddedPostgres({ stateDir: join(home, 'postgres'), host: '127.0.0.1', port: await freePort(), database: 'ballast_test', log: () => undefined });
  return {
    url: server.url,
    stop: async () => {
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
