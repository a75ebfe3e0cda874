import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { getExperiment, listExperiments } from '@ballast/db';
import { ExperimentIdInput, LaunchExperimentInput, ListExperimentsInput } from '@ballast/schema';
import { WorkflowNotFoundError } from '@temporalio/client';
import { publicProcedure } from '../trpc.js';
import { launchExperiment } from '../services/launch.js';
import { planLaunch } from '../services/plan.js';
import { experimentView } from '../services/experiment-view.js';
import type { ApiContext } from '../context.js';

/** The spec is validated inside `launch` so its issues carry `spec.` paths and nothing starts. */
const LaunchEnvelope = LaunchExperimentInput.extend({ spec: z.unknown() });

async function requireExperiment(ctx: ApiContext, id: string) {
  const row = await getExperiment(ctx.db, id);
  if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `no experiment ${id}` });
  return row;
}

export const experimentsRouter = {
  launch: publicProcedure.input(LaunchEnvelope).mutation(async ({ ctx, input }) => {
    const { row, created } = await launchExperiment(ctx, input);
    return { experiment: await experimentView(ctx.db, row), created };
  }),
  /** A dry run: every launch check, then what would start; nothing is stored or started. */
  plan: publicProcedure.input(z.strictObject({ spec: z.unknown() })).mutation(async ({ ctx, input }) => await planLaunch(ctx, input.spec)),
  list: publicProcedure.input(ListExperimentsInput).query(async ({ ctx, input }) => {
    const rows = await listExperiments(ctx.db, input);
    return await Promise.all(rows.map((row) => experimentView(ctx.db, row)));
  }),
  get: publicProcedure.input(ExperimentIdInput).query(async ({ ctx, input }) => {
    return await experimentView(ctx.db, await requireExperiment(ctx, input.id));
  }),
  spec: publicProcedure.input(ExperimentIdInput).query(async ({ ctx, input }) => {
    const row = await requireExperiment(ctx, input.id);
    return { raw: row.rawSpec, resolved: row.resolvedSpec, specHash: row.specHash };
  }),
  cancel: publicProcedure.input(ExperimentIdInput).mutation(async ({ ctx, input }) => {
    const row = await requireExperiment(ctx, input.id);
    try {
      await ctx.temporal.workflow.getHandle(row.workflowId).cancel();
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    return await experimentView(ctx.db, await requireExperiment(ctx, input.id));
  }),
};
