import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { claimMixBuild, getMix, getMixBuild, listMixes, type MixBuildRow } from '@ballast/db';
import {
  canonicalJson,
  makeId,
  MixDocument,
  MixRequestInput,
  resolveMixDocument,
  specDatasetUris,
  toFieldIssues,
  type MixBuildStatus,
} from '@ballast/schema';
import { mixBuildWorkflow, mixPreviewWorkflow } from '@ballast/workflows';
import { workflowIds } from '@ballast/workflow-contract';
import type { ApiContext } from '../context.js';
import { badRequest } from '../errors.js';
import { sha256Hex } from '../services/ids.js';
import { publicProcedure } from '../trpc.js';

/** Validates a Mix document: schema, and dataset files the workers may and can read (inside the dataset roots). */
function parseMixDocument(ctx: ApiContext, raw: unknown): MixDocument {
  const parsed = MixDocument.safeParse(raw);
  const missing = specDatasetUris(raw).flatMap(([name, uri]) => {
    const issue = uri.startsWith('file://') ? ctx.datasetIssue(uri) : null;
    return issue === null ? [] : [{ path: `spec.spec.datasets.${name}.uri`, message: issue }];
  });
  const issues = [...(parsed.success ? [] : toFieldIssues(parsed.error.issues, ['spec'])), ...missing];
  if (!parsed.success || issues.length > 0) throw badRequest(issues);
  return parsed.data;
}

function statusOf(row: MixBuildRow): MixBuildStatus {
  return {
    buildId: row.id,
    name: row.name,
    state: row.state as MixBuildStatus['state'],
    phase: row.phase,
    done: row.done,
    total: row.total,
    bytes: row.bytes,
    mixId: row.mixId,
    cacheHit: row.cacheHit,
    error: row.error,
    errorKind: row.errorKind === 'input' || row.errorKind === 'internal' ? row.errorKind : null,
    manifestUri: null,
  };
}

const BuildId = z.string().regex(/^mixb_[0-9a-z]{8,64}$/, "must be a mix build id ('mixb_…')");

/** A workflow failure caused by the input (a short component, a malformed source) is the caller's to fix. */
function explain(error: unknown): never {
  if (error instanceof WorkflowFailedError) {
    let cause: unknown = error.cause;
    let message = error.message;
    while (cause instanceof Error) {
      message = cause.message;
      cause = (cause as { cause?: unknown }).cause;
    }
    throw new TRPCError({ code: 'PRECONDITION_FAILED', message });
  }
  throw error;
}

export const mixesRouter = {
  preview: publicProcedure.input(MixRequestInput).mutation(async ({ ctx, input, signal }) => {
    parseMixDocument(ctx, input.spec);
    const handle = await ctx.temporal.workflow.start(mixPreviewWorkflow, { taskQueue: ctx.taskQueue, workflowId: workflowIds.mixPreview(randomUUID()), args: [{ spec: input.spec }] });
    // A client that goes away (Ctrl-C in `ballast mix preview`) cancels the preview instead of leaving it to run.
    const cancel = (): void => void handle.cancel().catch(() => undefined);
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await handle.result();
    } catch (error) {
      return explain(error);
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }),
  build: publicProcedure.input(MixRequestInput).mutation(async ({ ctx, input }) => {
    const doc = parseMixDocument(ctx, input.spec);
    // Same resolved mix and same dataset references: same build, so a repeated request attaches to it.
    const buildId = makeId('mixBuild', sha256Hex(canonicalJson({ mix: resolveMixDocument(doc), datasets: doc.spec.datasets })).slice(0, 20));
    const { build, start } = await claimMixBuild(ctx.db, { id: buildId, name: doc.metadata.name, spec: input.spec });
    if (start) {
      try {
        await ctx.temporal.workflow.start(mixBuildWorkflow, {
          taskQueue: ctx.taskQueue,
          workflowId: workflowIds.mixBuild(buildId),
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
          args: [{ buildId }],
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    }
    return statusOf(build);
  }),
  /** Cancels a running build (Ctrl-C in `ballast mix build`); its state becomes CANCELLED once the work has stopped. */
  cancel: publicProcedure.input(z.strictObject({ buildId: BuildId })).mutation(async ({ ctx, input }) => {
    const row = await getMixBuild(ctx.db, input.buildId);
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `no mix build ${input.buildId}` });
    if (row.state === 'RUNNING') await ctx.temporal.workflow.getHandle(workflowIds.mixBuild(input.buildId)).cancel().catch(() => undefined);
    return statusOf(row);
  }),
  status: publicProcedure
    .input(z.strictObject({ buildId: BuildId }))
    .query(async ({ ctx, input }) => {
      const row = await getMixBuild(ctx.db, input.buildId);
      if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `no mix build ${input.buildId}` });
      return statusOf(row);
    }),
  show: publicProcedure
    .input(z.strictObject({ mixId: z.string().regex(/^mix_[0-9a-f]{24}$/, "must be a mix id ('mix_' + 24 hex)") }))
    .query(async ({ ctx, input }) => {
      const row = await getMix(ctx.db, input.mixId);
      if (!row || !row.manifest) throw new TRPCError({ code: 'NOT_FOUND', message: `no mix ${input.mixId}` });
      return { mixId: row.id, manifestUri: row.manifestUri, dataUri: row.dataUri, manifest: row.manifest as Record<string, unknown> };
    }),
  list: publicProcedure.input(z.strictObject({ limit: z.number().int().min(1).max(500).default(50) }).prefault({})).query(async ({ ctx, input }) => {
    return (await listMixes(ctx.db, input.limit)).map((m) => ({
      mixId: m.id,
      records: m.records,
      manifestUri: m.manifestUri,
      createdAt: m.createdAt.toISOString(),
    }));
  }),
};
