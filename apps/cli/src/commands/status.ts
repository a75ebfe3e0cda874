import { describeApiError } from '../api-client.js';
import type { CliContext } from '../context.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { renderExperiment, renderExperimentRow } from '../render.js';

/** `ballast status [ID]` */
export async function statusCommand(ctx: CliContext, id: string | undefined): Promise<void> {
  try {
    if (id) {
      ctx.out(renderExperiment(await ctx.client.experiments.get.query({ id })));
      return;
    }
    const views = await ctx.client.experiments.list.query({ limit: 50 });
    if (views.length === 0) ctx.out('no experiments yet');
    for (const view of views) ctx.out(renderExperimentRow(view));
  } catch (error) {
    throw new CliExit(EXIT.failed, describeApiError(error, ctx.apiUrl));
  }
}

/** `ballast cancel ID` */
export async function cancelCommand(ctx: CliContext, id: string): Promise<void> {
  try {
    const view = await ctx.client.experiments.cancel.mutate({ id });
    ctx.out(`cancellation requested for ${view.id} (now ${view.phase}); running jobs are being cancelled on their backends`);
  } catch (error) {
    throw new CliExit(EXIT.failed, describeApiError(error, ctx.apiUrl));
  }
}

/** `ballast benchmarks`: the registry, one line each. */
export async function benchmarksCommand(ctx: CliContext): Promise<void> {
  try {
    const list = await ctx.client.benchmarks.list.query();
    for (const b of list) {
      ctx.out(`${`${b.id}@${b.version}`.padEnd(44)} ${b.category.padEnd(26)} ${b.metric.padEnd(22)} ${b.direction === 'higher_is_better' ? 'higher' : 'lower '} n=${b.itemCount}${b.outOfDomain ? '  out-of-domain' : ''}${b.simulated ? '  SIMULATED' : ''}`);
    }
  } catch (error) {
    throw new CliExit(EXIT.failed, describeApiError(error, ctx.apiUrl));
  }
}

/** `ballast jobs ID` */
export async function jobsCommand(ctx: CliContext, id: string): Promise<void> {
  try {
    for (const job of await ctx.client.jobs.list.query({ id })) {
      const attempts = job.attempts
        .map(
          (a) =>
            `#${a.number} ${a.state}${a.exitCode !== null ? ` exit ${a.exitCode}` : ''}${a.backendJobId ? ` [${a.backendJobId}]` : ''}` +
            `${a.unreachableSince ? ` UNREACHABLE since ${a.unreachableSince}` : ''}`,
        )
        .join(', ');
      ctx.out(`${job.id}  ${job.kind.padEnd(5)} ${job.state.padEnd(10)} ${job.backend.padEnd(6)} ${formatHours(job)}  ${attempts}`);
    }
  } catch (error) {
    throw new CliExit(EXIT.failed, describeApiError(error, ctx.apiUrl));
  }
}

/** `ballast logs JOB [--follow]` */
export async function logsCommand(ctx: CliContext, jobId: string, follow: boolean): Promise<void> {
  let printed: string[] = [];
  for (;;) {
    let result;
    try {
      result = await ctx.client.jobs.logs.query({ id: jobId, tailLines: 1000 });
    } catch (error) {
      throw new CliExit(EXIT.failed, describeApiError(error, ctx.apiUrl));
    }
    // Print only what is new since the last poll: find where the previous tail ends in this one.
    let start = 0;
    if (printed.length > 0) {
      const last = printed[printed.length - 1];
      const at = result.lines.lastIndexOf(last!);
      start = at >= 0 ? at + 1 : 0;
    }
    for (const line of result.lines.slice(start)) ctx.out(line);
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
        .map(([name, b]) => `${name}: ${b.unreachable ? `UNREACHABLE (${b.unreachable})` : `${b.listed} listed, ${b.checked} running`}`)
        .join('; ');
      ctx.out(`#${run.id}  ${run.finishedAt}  ${run.findings.length} finding(s)  ${backends}`);
      for (const f of run.findings) ctx.out(`  ${f.action.padEnd(20)} ${f.backend}:${f.backendJobId ?? '-'}  ${f.jobId ?? f.idempotencyKey}  ${f.detail}`);
    }
  } catch (error) {
    throw new CliExit(EXIT.failed, describeApiError(error, ctx.apiUrl));
  }
}
