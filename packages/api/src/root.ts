import { router } from './trpc.js';
import { experimentsRouter } from './router/experiments.js';
import { jobsRouter } from './router/jobs.js';
import { checkpointsRouter, evaluationsRouter, reportsRouter } from './router/results.js';
import { datasetsRouter } from './router/datasets.js';
import { benchmarksRouter } from './router/benchmarks.js';
import { mixesRouter } from './router/mixes.js';
import { opsRouter } from './router/ops.js';

export const appRouter = router({
  experiments: experimentsRouter,
  jobs: jobsRouter,
  checkpoints: checkpointsRouter,
  evaluations: evaluationsRouter,
  reports: reportsRouter,
  datasets: datasetsRouter,
  benchmarks: benchmarksRouter,
  mixes: mixesRouter,
  ops: opsRouter,
});
export type AppRouter = typeof appRouter;
