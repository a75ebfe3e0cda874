import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { listReconciliationRuns } from '@ballast/db';
import { ReconciliationRunView } from '@ballast/schema';
import { reconcileWorkflow } from '@ballast/workflows';
import { publicProcedure } from '../trpc.js';

const ReconciliationsInput = z.strictObject({ limit: z.number().int().min(1).max(100).default(10) }).prefault({});

/** For ops: what the reconciliation schedule found, and a way to run a pass now. */
export const opsRouter = {
  reconciliations: publicProcedure.input(ReconciliationsInput).query(async ({ ctx, input }) => {
    const rows = await listReconciliationRuns(ctx.db, input.limit);
    return rows.map((row) =>
      ReconciliationRunView.parse({
        id: row.id,
        startedAt: row.startedAt.toISOString(),
        finishedAt: row.finishedAt.toISOString(),
        findings: row.findings,
        backends: row.backends,
      }),
    );
  }),
  /** Runs one reconciliation pass now (outside the schedule) and returns what it found. */
  reconcileNow: publicProcedure.mutation(async ({ ctx }) => {
    const summary = await ctx.temporal.workflow.execute(reconcileWorkflow, {
      taskQueue: ctx.taskQueue,
      workflowId: `ballast-reconcile-now-${randomUUID()}`,
      args: [],
    });
    const [row] = await listReconciliationRuns(ctx.db, 1);
    return { summary, run: row && row.id === summary.runId ? ReconciliationRunView.parse({ ...row, startedAt: row.startedAt.toISOString(), finishedAt: row.finishedAt.toISOString() }) : null };
  }),
};
