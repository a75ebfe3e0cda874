import { terminalText as t } from '@ballast/config';
import { apiFailure } from '../api-client.js';
import type { CliContext } from '../context.js';
import { renderExperiment, renderExperimentRow, type SpecMetadata } from '../render.js';

/** `ballast status [ID]`: exits 3 when the API cannot be reached, 2 for an id that names nothing. */
export async function statusCommand(ctx: CliContext, id: string | undefined): Promise<void> {
  try {
    if (id) {
      const [view, spec] = await Promise.all([ctx.client.experiments.get.query({ id }), ctx.client.experiments.spec.query({ id })]);
      ctx.out(renderExperiment(view, metadataOf(spec.raw)));
      return;
    }
    const views = await ctx.client.experiments.list.query({ limit: 50 });
    if (views.length === 0) ctx.out('no experiments yet');
    for (const view of views) ctx.out(renderExperimentRow(view));
  } catch (error) {
    throw apiFailure(error, ctx.apiUrl);
  }
}

/** The description and labels of a stored spec; the API validated it, but old rows are read defensively. */
function metadataOf(raw: unknown): SpecMetadata {
  const metadata = (raw as { metadata?: { description?: unknown; labels?: unknown } } | null)?.metadata;
  const labels = metadata?.labels;
  return {
    description: typeof metadata?.description === 'string' ? metadata.description : undefined,
    labels:
      typeof labels === 'object' && labels !== null
        ? Object.fromEntries(Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === 'string'))
        : undefined,
  };
}

/** `ballast cancel ID` */
export async function cancelCommand(ctx: CliContext, id: string): Promise<void> {
  try {
    const view = await ctx.client.experiments.cancel.mutate({ id });
    ctx.out(`cancellation requested for ${t(view.id)} (now ${view.phase}); running jobs are being cancelled on their backends`);
  } catch (error) {
    throw apiFailure(error, ctx.apiUrl);
  }
}

/** `ballast jobs ID` */
export async function jobsCommand(ctx: CliContext, id: string): Promise<void> {
  try {
    for (const job of await ctx.client.jobs.list.query({ id })) {
      const attempts = job.attempts
        .map(
          (a) =>
            `#${a.number} ${a.state}${a.exitCode !== null ? ` exit ${a.exitCode}` : ''}${a.backendJobId ? ` [${t(a.backendJobId)}]` : ''}` +
            `${a.unreachableSince ? ` UNREACHABLE since ${t(a.unreachableSince)}` : ''}`,
        )
        .join(', ');
      ctx.out(`${t(job.id)}  ${job.kind.padEnd(5)} ${job.state.padEnd(10)} ${t(job.backend).padEnd(6)} ${formatHours(job)}  ${attempts}`);
    }
  } catch (error) {
    throw apiFailure(error, ctx.apiUrl);
  }
}

/** `ballast logs JOB [--follow]`: a job's output, each line escaped (a training program prints what it likes). */
export async function logsCommand(ctx: CliContext, jobId: string, follow: boolean): Promise<void> {
  let printed: string[] = [];
  for (;;) {
    let result;
    try {
      result = await ctx.client.jobs.logs.query({ id: jobId, tailLines: 1000 });
    } catch (error) {
      throw apiFailure(error, ctx.apiUrl);
    }
    // Print only what is new since the last poll: find where the previous tail ends in this one.
    let start = 0;
    if (printed.length > 0) {
      const last = printed[printed.length - 1];
      const at = result.lines.lastIndexOf(last!);
      start = at >= 0 ? at + 1 : 0;
    }
    for (const line of result.lines.slice(start)) ctx.out(t(line));
    printed = result.lines;
    if (!follow || ['SUCCEEDED', 'FAILED', 'CANCELLED', 'LOST', 'PREEMPTED'].includes(result.state)) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function formatHours(usage: { gpuHours: number; cpuHours: number }): string {
  return usage.gpuHours > 0 ? `${usage.gpuHours.toFixed(3)} GPU-h` : `${usage.cpuHours.toFixed(3)} CPU-h`;
}

/** `ballast reconcile [--now]`: the latest reconciliation passes, or one run now. */
export async function reconcileCommand(ctx: CliContext, now: boolean): Promise<void> {
  try {
    const runs = now ? [(await ctx.client.ops.reconcileNow.mutate()).run].filter((r) => r !== null) : await ctx.client.ops.reconciliations.query({ limit: 5 });
    if (runs.length === 0) ctx.out('no reconciliation pass has run yet (the ballast-reconcile schedule runs one every worker.reconcileIntervalSeconds)');
    for (const run of runs) {
      const backends = Object.entries(run.backends)
        .map(([name, b]) => `${t(name)}: ${b.unreachable ? `UNREACHABLE (${t(b.unreachable)})` : `${b.listed} listed, ${b.checked} running`}`)
        .join('; ');
      ctx.out(`#${run.id}  ${t(run.finishedAt)}  ${run.findings.length} finding(s)  ${backends}`);
      for (const f of run.findings) ctx.out(`  ${f.action.padEnd(20)} ${t(f.backend)}:${t(f.backendJobId ?? '-')}  ${t(f.jobId ?? f.idempotencyKey)}  ${t(f.detail)}`);
    }
  } catch (error) {
    throw apiFailure(error, ctx.apiUrl);
  }
}
