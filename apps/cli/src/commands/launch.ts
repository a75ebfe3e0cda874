import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { TRPCClientError } from '@trpc/client';
import { terminalText as t } from '@ballast/config';
import type { ExperimentView, LaunchPlan } from '@ballast/schema';
import { apiFailure, apiIssues, describeApiError, exitCodeFor } from '../api-client.js';
import type { CliContext } from '../context.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { formatIssues, renderExperiment } from '../render.js';
import { renderLaunchPlan } from './launch-plan.js';
import { readSpecFileOrExit } from '../spec-file.js';
import { printReport } from './report.js';

const FINISHED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** The spec file as the flags change it (`--backend`, `--no-reuse`), with the local checks' issues. */
function readLaunchSpec(file: string, options: { backend?: string | undefined; noReuse?: boolean | undefined }) {
  const spec = readSpecFileOrExit(file);
  if (options.backend !== undefined) spec.raw = withBackend(spec.raw, options.backend);
  if (options.noReuse) spec.raw = withSpecField(spec.raw, 'reuse', false);
  return spec;
}

/**
 * Sends a spec to the API. Sent even when local checks fail: the API rejects without starting anything
 * and also reports what only it can check (dataset files the workers must read), so the user sees every
 * problem; invalid input exits 2 with every field issue.
 */
async function sendSpec<T>(ctx: CliContext, file: string, spec: ReturnType<typeof readLaunchSpec>, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const issues = apiIssues(error);
    if (issues) throw new CliExit(EXIT.invalid, `${t(file)} is not a valid experiment spec:\n${formatIssues(issues)}`);
    if (spec.issues.length > 0) {
      throw new CliExit(EXIT.invalid, `${t(file)} is not a valid experiment spec (checked locally; ${describeApiError(error, ctx.apiUrl)}):\n${formatIssues(spec.issues)}`);
    }
    throw apiFailure(error, ctx.apiUrl);
  }
}

/** `ballast launch SPEC --dry-run [--json]`: every launch check, then what would start; nothing starts. */
export async function dryRunCommand(ctx: CliContext, file: string, options: { backend?: string | undefined; json: boolean; noReuse?: boolean }): Promise<LaunchPlan> {
  const spec = readLaunchSpec(file, options);
  const plan = await sendSpec(ctx, file, spec, () => ctx.client.experiments.plan.mutate({ spec: spec.raw }));
  ctx.out(options.json ? JSON.stringify(plan, null, 2) : renderLaunchPlan(plan));
  return plan;
}

/** `ballast launch SPEC [--watch] [--request-id ID]` */
export async function launchCommand(
  ctx: CliContext,
  file: string,
  options: { watch: boolean; requestId?: string | undefined; user?: string | undefined; backend?: string | undefined; noReuse?: boolean },
): Promise<ExperimentView> {
  const spec = readLaunchSpec(file, options);
  const clientRequestId = options.requestId ?? `cli-${randomUUID()}`;
  const result = await sendSpec(ctx, file, spec, () =>
    launchWithRetry(ctx, { clientRequestId, spec: spec.raw, launchedBy: options.user ?? ctx.config.user ?? osUser() }),
  );
  const view = result.experiment;
  ctx.out(`${result.created ? 'launched' : 'already launched (same request id)'} ${t(view.id)} (${t(view.name)})${view.simulated ? ' — SIMULATED reference workload, not a language model' : ''}`);
  if (!options.watch) return view;
  return await watchExperiment(ctx, view.id);
}

/**
 * `--backend KIND`: the same spec with `spec.backend.kind` replaced; the API validates the kind (and
 * that this deployment has it configured) like any other field. A spec that is not an object is left
 * as it is, for the API to reject with its own path.
 */
function withBackend(raw: unknown, kind: string): unknown {
  const backend = (raw as { spec?: { backend?: unknown } } | null)?.spec?.backend;
  return withSpecField(raw, 'backend', { ...(typeof backend === 'object' && backend !== null ? backend : {}), kind });
}

/** The same spec with `spec.<field>` set; a spec that is not an object is left for the API to reject with its own path. */
function withSpecField(raw: unknown, field: string, value: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const doc = raw as { spec?: unknown };
  if (typeof doc.spec !== 'object' || doc.spec === null) return raw;
  return { ...doc, spec: { ...(doc.spec as object), [field]: value } };
}

function osUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

/**
 * Retries a launch that could not reach the API with the same request id, so a lost response never
 * launches twice and a lost request is not silently dropped.
 */
async function launchWithRetry(ctx: CliContext, input: { clientRequestId: string; spec: unknown; launchedBy?: string | undefined }) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await ctx.client.experiments.launch.mutate(input);
    } catch (error) {
      const network = error instanceof TRPCClientError && !error.data;
      if (!network || attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

/** Polls the API and shows per-arm progress until the experiment finishes; then prints the report. */
export async function watchExperiment(ctx: CliContext, id: string, intervalMs = 1000): Promise<ExperimentView> {
  const tty = process.stdout.isTTY === true;
  let previous = '';
  let shownLines = 0;
  for (;;) {
    let view: ExperimentView;
    try {
      view = await ctx.client.experiments.get.query({ id });
    } catch (error) {
      const code = exitCodeFor(error);
      if (code !== EXIT.unreachable) throw apiFailure(error, ctx.apiUrl);
      throw new CliExit(code, `lost the API while watching ${t(id)} (${describeApiError(error, ctx.apiUrl)}); the experiment goes on — 'ballast status ${t(id)}' shows it`);
    }
    const text = renderExperiment(view);
    if (text !== previous) {
      if (tty && shownLines > 0) process.stdout.write(`\x1b[${shownLines}A\x1b[J`);
      ctx.out(text);
      shownLines = text.split('\n').length;
      previous = text;
    }
    if (FINISHED.has(view.phase)) {
      if (view.phase === 'SUCCEEDED') await printReport(ctx, id, 'summary');
      else throw new CliExit(EXIT.failed, `experiment ${t(id)} ended ${view.phase}${view.error ? `: ${t(view.error)}` : ''}`);
      return view;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
