/**
 * Cross-package integration and end-to-end tests. They run a real Temporal dev server and a real
 * PostgreSQL (embedded, or BALLAST_TEST_DATABASE_URL) through the same code `ballast up` uses.
 * This module exports the harness for other test files.
 */
export * from './harness/stack.js';
export * from './harness/shared-stack.js';
export * from './harness/specs.js';
export * from './harness/wait.js';
export * from './harness/ports.js';
export * from './harness/clusters.js';
export * from './harness/up-process.js';
export * from './harness/real-models.js';
