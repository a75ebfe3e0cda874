/**
 * The Ballast server: the embedded stack (Temporal dev server and PostgreSQL on loopback), the tRPC API
 * and a Temporal worker, in one process (`ballast up`) or as separate roles in production.
 *
 * @example
 * const config = loadConfig();
 * const server = await startServer(config, createLogger(config));
 * // ... later
 * await server.stop();
 */
export { startServer, createBackends, ServerAlreadyRunningError, EmbeddedStackRoleError, type RunningServer, type ServerRole } from './server.js';
export { startStack, embeddedServicePidFiles, type StackEndpoints } from './embedded-stack.js';
export { startWorker, WORKFLOW_BUNDLE_PATH, type WorkerHandle } from './worker.js';
export { startApiServer, createApiContext } from './api-server.js';
export { createLogger, type Logger, type LogLevel } from './logger.js';
export { temporalConnectionOptions } from './temporal-connection.js';
export { readProvenance } from './provenance.js';
