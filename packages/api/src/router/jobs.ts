import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { attemptUsage, getJob, latestAttempt, listAttempts, listJobsForExperiment, listTransitions, type JobRow } from '@ballast/db';
import { ExperimentIdInput, type JobView } from '@ballast/schema';
import type { Db } from '@ballast/db';
import { publicProcedure } from '../trpc.js';

async function jobViews(db: Db, jobs: JobRow[]): Promise<JobView[]> {
  const attempts = await listAttempts(db, jobs.map((j) => j.id));
  const transitions = await listTransitions(db, attempts.map((a) => a.id));
  return jobs.map((job) => {
    const own = attempts.filter((a) => a.jobId === job.id);
    const usage = new Map(own.map((a) => [a.id, attemptUsage(a, job)]));
    return {
    id: job.id,
    armId: job.armId,
    kind: job.kind as JobView['kind'],
    backend: job.backend,
    state: job.state as JobView['state'],
    gpuHours: own.reduce((sum, a) => sum + usage.get(a.id)!.gpuSeconds, 0) / 3600,
    cpuHours: own.reduce((sum, a) => sum + usage.get(a.id)!.cpuSeconds, 0) / 3600,
    attempts: own.map((a) => ({
        id: a.id,
        number: a.number,
        backendJobId: a.backendJobId,
        state: a.state as JobView['state'],
        transitions: transitions
          .filter((t) => t.attemptId === a.id)
          .map((t) => ({ state: t.state as JobView['state'], at: t.at.toISOString(), detail: t.detail })),
        resourceSeconds: a.resourceSeconds,
        ...usage.get(a.id)!,
        exitCode: a.exitCode,
        idempotencyKey: a.idempotencyKey,
        unreachableSince: a.unreachableSince?.toISOString() ?? null,
        unreachableDetail: a.unreachableDetail,
        startedAt: a.startedAt?.toISOString() ?? null,
        endedAt: a.endedAt?.toISOString() ?? null,
      })),
    };
  });
}

const JobIdInput = z.strictObject({ id: z.string().regex(/^job_[0-9a-z]{8,64}$/, "must be a job id ('job_…')") });

export const jobsRouter = {
  list: publicProcedure.input(ExperimentIdInput).query(async ({ ctx, input }) => {
    return await jobViews(ctx.db, await listJobsForExperiment(ctx.db, input.id));
  }),
  get: publicProcedure.input(JobIdInput).query(async ({ ctx, input }) => {
    const job = await getJob(ctx.db, input.id);
    if (!job) throw new TRPCError({ code: 'NOT_FOUND', message: `no job ${input.id}` });
    return (await jobViews(ctx.db, [job]))[0]!;
  }),
  logs: publicProcedure
    .input(JobIdInput.extend({ tailLines: z.number().int().min(1).max(10_000).default(100) }))
    .query(async ({ ctx, input }) => {
      const job = await getJob(ctx.db, input.id);
      if (!job) throw new TRPCError({ code: 'NOT_FOUND', message: `no job ${input.id}` });
      const attempt = await latestAttempt(ctx.db, job.id);
      if (!attempt) return { jobId: job.id, state: job.state, attempt: null, lines: [] as string[] };
      const lines = await ctx.jobLogs({ backend: job.backend, attemptKey: attempt.idempotencyKey }, input.tailLines);
      return { jobId: job.id, state: job.state, attempt: attempt.number, lines };
    }),
};
