import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema.js';

export type Db = NodePgDatabase<typeof schema>;

export interface DbHandle {
  readonly db: Db;
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

export interface DbOptions {
  /**
   * Connections in the pool. The default leaves room for a worker's default 16 activity slots and an
   * API in the same process; a worker with more slots should pass more (each activity holds a
   * connection only for one query or short transaction, never while it waits on a job).
   */
  readonly max?: number;
  /**
   * How long a query waits for a free connection before it fails. pg's own default is forever, which
   * turns an exhausted pool into activities that hang silently; a failure is retried and seen.
   */
  readonly connectionTimeoutMillis?: number;
}

export const DEFAULT_POOL_SIZE = 24;
export const DEFAULT_CONNECTION_TIMEOUT_MS = 30_000;

/** Opens a pool against `url`. The caller owns it and must `close()` it. */
export function createDb(url: string, options: DbOptions = {}): DbHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? DEFAULT_CONNECTION_TIMEOUT_MS,
  });
  // An idle client's error (e.g. the server restarting) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = drizzle(pool, { schema });
  return { db, pool, close: async () => await pool.end() };
}
