import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { listReconciliationRuns, type ReconciliationRunRow } from '@ballast/db';
import { ReconciliationRunView } from '@ballast/schema';
import { reconcileWorkflow } from '@ballast/workflows';
import { workflowIds } from '@ballast/workflow-contract';
import { publicProcedure } from '../trpc.js';

const ReconciliationsInput = z.strictObject({ limit: z.number().int().min(1).max(100).default(10) }).prefault({});

/** For ops: what the reconciliation schedule found, and a way to run a pass now. */
export const opsRouter = {
  reconciliations: publicProcedure.input(ReconciliationsInput).query(async ({ ctx, input }) => {
    return (await listReconciliationRuns(ctx.db, input.limit)).map(runView);
  }),
  /** Runs one reconciliation pass now (outside the schedule) and returns what it found. */
  reconcileNow: publicProcedure.mutation(async ({ ctx }) => {
    const summary = await ctx.temporal.workflow.execute(reconcileWorkflow, {
      taskQueue: ctx.taskQueue,
      workflowId: workflowIds.reconcileNow(randomUUID()),
      args: [],
    });
    const [row] = await listReconciliationRuns(ctx.db, 1);
    return { summary, run: row && row.id === summary.runId ? runView(row) : null };
  }),
};

function runView(row: ReconciliationRunRow): ReconciliationRunView {
  return ReconciliationRunView.parse({
    id: row.id,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt.toISOString(),
    findings: row.findings,
    backends: row.backends,
  });
}
