/**
 * The Ballast tRPC API: one router per resource (experiments, datasets, benchmarks, jobs, checkpoints,
 * evaluations, reports). Inputs are validated by the zod schemas of @ballast/schema; invalid input is BAD_REQUEST
 * with field paths in `error.data.issues` and starts nothing.
 *
 * @example
 * const server = createHTTPServer({ router: appRouter, createContext: () => context });
 * server.listen(7300, '127.0.0.1');
 */
export { appRouter, type AppRouter } from './root.js';
export { createCallerFactory } from './trpc.js';
export type { ApiContext, BenchmarkSource } from './context.js';
export { loadBenchmarkRegistry, type BenchmarkRecord } from './services/benchmarks.js';
export type { RealModelLaunchContext, EnvironmentProblem, EnvironmentRequirement } from './services/real-model-launch.js';
export { InputIssuesError, errorIdOf } from './errors.js';
export { resumePendingLaunches } from './services/launch.js';
export { armIdFor } from './services/ids.js';
