import { TRPCError } from '@trpc/server';
import { evaluationsForCheckpoints, getExperiment, getReport, listArms, listCheckpoints } from '@ballast/db';
import { ExperimentIdInput, Report, type EvalSummary, type ReportView, type ResolvedExperimentSpec, type RuntimeEnvironment } from '@ballast/schema';
import { renderReportMarkdown } from '@ballast/reporting';
import { publicProcedure } from '../trpc.js';

export const checkpointsRouter = {
  list: publicProcedure.input(ExperimentIdInput).query(async ({ ctx, input }) => {
    const arms = await listArms(ctx.db, input.id);
    const rows = await listCheckpoints(ctx.db, arms.map((a) => a.id));
    return rows.map((c) => ({
      id: c.id,
      arm: arms.find((a) => a.id === c.armId)?.name ?? c.armId,
      step: c.step,
      contentHash: c.contentHash,
      uri: c.uri,
      committedAt: c.committedAt.toISOString(),
      /** Python and package versions the checkpoint was trained with; null for the reference trainer. */
      environment: (c.environment as RuntimeEnvironment | null) ?? null,
    }));
  }),
};

export const evaluationsRouter = {
  list: publicProcedure.input(ExperimentIdInput).query(async ({ ctx, input }) => {
    const arms = await listArms(ctx.db, input.id);
    const checkpoints = await listCheckpoints(ctx.db, arms.map((a) => a.id));
    // The experiment's own benchmarks: persistence's evaluations of the final checkpoint are linked to it too.
    const experiment = await getExperiment(ctx.db, input.id);
    const listed = (experiment?.resolvedSpec as ResolvedExperimentSpec | undefined)?.spec.evaluation.benchmarks;
    const rows = (await evaluationsForCheckpoints(ctx.db, checkpoints.map((c) => c.id))).filter((r) => !Array.isArray(listed) || listed.includes(r.evaluation.benchmarkRef));
    return rows.map(({ checkpointId, evaluation: e }) => {
      const checkpoint = checkpoints.find((c) => c.id === checkpointId)!;
      return {
        id: e.id,
        arm: arms.find((a) => a.id === checkpoint.armId)?.name ?? checkpoint.armId,
        step: checkpoint.step,
        benchmark: e.benchmarkRef,
        category: e.category,
        n: e.n,
        mean: e.mean,
        stderr: e.stderr,
        itemsUri: e.itemsUri,
        /** `reference@N`, `inspect@0.3.285`, `lm-eval@0.4.13`. */
        evaluator: e.evaluatorVersion,
        /** Python and package versions the harness ran with; null for the reference evaluator. */
        environment: (e.summary as EvalSummary).environment ?? null,
      };
    });
  }),
};

export const reportsRouter = {
  get: publicProcedure.input(ExperimentIdInput).query(async ({ ctx, input }): Promise<ReportView> => {
    const row = await getReport(ctx.db, input.id);
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `experiment ${input.id} has no report yet` });
    const parsed = Report.safeParse(row.report);
    if (!parsed.success) {
      const version = (row.report as { schemaVersion?: unknown } | null)?.schemaVersion;
      throw new TRPCError({
        code: 'PRECONDITION_FAILED',
        message: `experiment ${input.id}'s report was stored in report schema ${typeof version === 'number' ? version : 'unknown'}, which this build no longer reads; its files remain at ${row.jsonUri}`,
      });
    }
    const report = parsed.data;
    return {
      id: row.id,
      experimentId: row.experimentId,
      report,
      markdown: renderReportMarkdown(report),
      // Written beside the Markdown since report schema 2.
      artifacts: { json: row.jsonUri, markdown: row.markdownUri, html: row.markdownUri.replace(/report\.md$/, 'report.html') },
    };
  }),
};
