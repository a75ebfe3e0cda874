/**
 * The Ballast database: drizzle schema (PostgreSQL, node-postgres), forward-only SQL migrations applied
 * under an advisory lock, a client factory and the queries the activities and the API share. Import
 * `@ballast/db/schema` for the tables alone; it opens no connection.
 *
 * @example
 * const handle = createDb(url);
 * await migrate(handle.pool);
 * const exp = await getExperiment(handle.db, 'exp_…');
 */
export * from './client.js';
export * from './migrate.js';
export * as tables from './schema.js';
export * from './repositories/experiments.js';
export * from './repositories/datasets.js';
export * from './repositories/jobs.js';
export * from './repositories/results.js';
export * from './repositories/reuse.js';
export * from './repositories/mix-builds.js';
export * from './repositories/reconciliation.js';
export * from './repositories/benchmarks.js';
