import { TRPCError } from '@trpc/server';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { harnessEvaluates, isBenchmarkRegistryError, type Registry } from '@ballast/benchmarks';
import { insertExperimentOnce, listExperiments, type ExperimentRow } from '@ballast/db';
import {
  BACKEND_KINDS,
  benchmarkRef,
  canonicalJson,
  ExperimentSpec,
  resolveExperimentSpec,
  specDatasetUris,
  specReferenceIssues,
  toFieldIssues,
  TRAINER_FRAMEWORKS,
  type FieldIssue,
  type ResolvedExperimentSpec,
  type TrainerFramework,
} from '@ballast/schema';
import { experimentWorkflow } from '@ballast/workflows';
import { searchAttributes, workflowIds, type ExperimentWorkflowInput } from '@ballast/workflow-contract';
import type { ApiContext } from '../context.js';
import { badRequest } from '../errors.js';
import { armIdFor, newExperimentId, sha256Hex } from './ids.js';
import { checkRealModelLaunch } from './real-model-launch.js';

export interface LaunchRequest {
  readonly clientRequestId: string;
  readonly spec: unknown;
  readonly launchedBy?: string | undefined;
}

/** Datasets the workers may not or cannot read, at the dataset's path; checked on raw input so it reports with the rest. */
function datasetIssues(ctx: ApiContext, raw: unknown): FieldIssue[] {
  return specDatasetUris(raw).flatMap(([name, uri]) => {
    const issue = uri.startsWith('file://') ? ctx.datasetIssue(uri) : null;
    return issue === null ? [] : [{ path: `spec.spec.datasets.${name}.uri`, message: issue }];
  });
}

/**
 * Benchmarks the spec names that are not registered, or whose harness cannot score this trainer's
 * checkpoints, at their path in the spec; and `all` when it selects nothing for the trainer.
 */
function benchmarkIssues(registry: Registry, raw: unknown): FieldIssue[] {
  const spec = (raw as { spec?: { evaluation?: { benchmarks?: unknown }; trainer?: { framework?: unknown } } } | null)?.spec;
  const listed = spec?.evaluation?.benchmarks ?? 'all';
  const given = spec?.trainer?.framework ?? 'reference';
  // An unknown framework is the schema's to report; the harness checks need a known one.
  const framework = (TRAINER_FRAMEWORKS as readonly unknown[]).includes(given) ? (given as TrainerFramework) : null;
  if (listed === 'all') {
    if (framework === null) return [];
    try {
      registry.forTrainer(framework);
      return [];
    } catch (error) {
      if (isBenchmarkRegistryError(error)) return [{ path: 'spec.spec.evaluation.benchmarks', message: error.message }];
      throw error;
    }
  }
  if (!Array.isArray(listed)) return [];
  return listed.flatMap((ref: unknown, i: number) => {
    if (typeof ref !== 'string' || !/@/.test(ref)) return [];
    const path = `spec.spec.evaluation.benchmarks.${i}`;
    const entry = registry.get(ref);
    if (!entry) return [{ path, message: `no registered benchmark '${ref}' (ballast benchmarks lists them)` }];
    if (framework === null || harnessEvaluates(entry.harness.kind, framework)) return [];
    const message =
      framework === 'reference'
        ? `'${ref}' runs on ${entry.harness.kind}, which evaluates real models; the SIMULATED reference trainer is evaluated by the reference twins`
        : `'${ref}' is a SIMULATED reference twin; trainer.framework '${framework}' trains a real model, evaluated by inspect and lm-eval benchmarks`;
    return [{ path, message }];
  });
}

/** A known backend kind this deployment has not configured cannot run the experiment. */
function backendIssues(ctx: ApiContext, raw: unknown): FieldIssue[] {
  const kind = (raw as { spec?: { backend?: { kind?: unknown } } } | null)?.spec?.backend?.kind;
  if (typeof kind !== 'string' || !(BACKEND_KINDS as readonly string[]).includes(kind) || ctx.configuredBackends.includes(kind)) return [];
  return [
    {
      path: 'spec.spec.backend.kind',
      message: `backend '${kind}' is not configured on this deployment (configured: ${ctx.configuredBackends.join(', ')}); see docs/configuration.md`,
    },
  ];
}

/**
 * A declared headline benchmark must be one the experiment evaluates. An empty family is allowed (an
 * experiment may evaluate only capability and helpfulness, read for non-inferiority); the report says so.
 */
function headlineIssues(declared: readonly string[] | undefined, evaluated: readonly string[], primaryMetrics: readonly string[], evaluatedMetrics: readonly string[]): FieldIssue[] {
  return [
    ...(declared ?? []).flatMap((ref, i) =>
      evaluated.includes(ref) ? [] : [{ path: `spec.spec.analysis.headlineBenchmarks.${i}`, message: `'${ref}' is not among the benchmarks this experiment evaluates` }],
    ),
    // A misspelt primary metric would quietly empty the family.
    ...primaryMetrics.flatMap((metric, i) =>
      evaluatedMetrics.includes(metric)
        ? []
        : [{ path: `spec.spec.analysis.primaryMetrics.${i}`, message: `no evaluated benchmark is scored by '${metric}' (they use: ${[...new Set(evaluatedMetrics)].sort().join(', ')})` }],
    ),
  ];
}

/** Every problem with a launch request at once: schema, cross-references and missing dataset files. */
function launchIssues(ctx: ApiContext, registry: Registry, raw: unknown, parsedOk: boolean, schemaIssues: FieldIssue[]): FieldIssue[] {
  const references = parsedOk ? [] : specReferenceIssues(raw).map((i) => ({ ...i, path: `spec.${i.path}` }));
  const all = [...schemaIssues, ...references, ...datasetIssues(ctx, raw), ...benchmarkIssues(registry, raw), ...backendIssues(ctx, raw)];
  const seen = new Set<string>();
  return all.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Validates, stores (raw, resolved and hashed) and starts an experiment. Idempotent by client request
 * id: a repeat returns the first experiment and starts nothing new. Invalid input starts nothing.
 */
export async function launchExperiment(
  ctx: ApiContext,
  request: LaunchRequest,
): Promise<{ row: ExperimentRow; created: boolean }> {
  const parsed = ExperimentSpec.safeParse(request.spec);
  const registry = await ctx.benchmarks.registry();
  const issues = launchIssues(ctx, registry, request.spec, parsed.success, parsed.success ? [] : toFieldIssues(parsed.error.issues, ['spec']));
  if (!parsed.success || issues.length > 0) throw badRequest(issues);

  const evaluated = parsed.data.spec.evaluation.benchmarks === 'all' ? registry.forTrainer(parsed.data.spec.trainer.framework) : registry.resolve(parsed.data.spec.evaluation.benchmarks);
  // The headline family is locked with the benchmark list: the report counts exactly these.
  const resolvedSpec = resolveExperimentSpec(parsed.data, evaluated.map((b) => ({ ref: benchmarkRef(b), category: b.category, metric: b.metric })));
  const analysisIssues = headlineIssues(parsed.data.spec.analysis.headlineBenchmarks, evaluated.map(benchmarkRef), parsed.data.spec.analysis.primaryMetrics, evaluated.map((b) => b.metric));
  if (analysisIssues.length > 0) throw badRequest(analysisIssues);
  const checked = await checkRealModelLaunch(ctx.ml, resolvedSpec, [...new Set(evaluated.map((b) => b.harness.kind))]);
  if (checked.issues.length > 0) throw badRequest(checked.issues);
  // `all` is locked at launch to the entries registered now, so that a benchmark added later does not
  // change what this experiment's checkpoints are evaluated on.
  const resolved: ResolvedExperimentSpec = {
    ...checked.resolved,
    spec: { ...checked.resolved.spec, evaluation: { ...checked.resolved.spec.evaluation, benchmarks: evaluated.map(benchmarkRef) } },
  };
  const specHash = `sha256:${sha256Hex(canonicalJson(resolved))}`;
  const id = newExperimentId();
  const simulated = resolved.spec.trainer.framework === 'reference';
  const arms = resolved.spec.arms.map((arm) => ({
    id: armIdFor(id, arm.name),
    experimentId: id,
    name: arm.name,
    seed: arm.seed,
    resolved: arm,
    totalSteps: resolved.spec.trainer.steps,
  }));
  const { row, created } = await insertExperimentOnce(
    ctx.db,
    {
      id,
      name: resolved.metadata.name,
      clientRequestId: request.clientRequestId,
      rawSpec: request.spec as object,
      resolvedSpec: resolved,
      specHash,
      phase: 'PENDING',
      simulated,
      launchedBy: request.launchedBy ?? ctx.provenance.defaultUser,
      ballastVersion: ctx.provenance.ballastVersion,
      gitCommit: ctx.provenance.gitCommit,
      workflowId: workflowIds.experiment(id),
    },
    arms,
  ).then((r) => ({ row: r.experiment, created: r.created }));
  if (!created && row.specHash !== specHash) {
    throw new TRPCError({
      code: 'CONFLICT',
      message: `clientRequestId '${request.clientRequestId}' already launched ${row.id} with a different spec; use a new request id`,
    });
  }
  // Also on a repeat: the first call may have crashed between storing and starting.
  await startExperimentWorkflow(ctx, row);
  return { row, created };
}

/**
 * Starts the workflow of every experiment still PENDING: a launch whose process died between storing
 * the experiment and starting its workflow is finished here instead of waiting forever. Starting is
 * idempotent (the workflow id is derived from the experiment id), so this is safe at every start.
 */
export async function resumePendingLaunches(ctx: ApiContext): Promise<number> {
  const pending = await listExperiments(ctx.db, { limit: 500, phase: 'PENDING' });
  for (const row of pending) await startExperimentWorkflow(ctx, row);
  return pending.length;
}

async function startExperimentWorkflow(ctx: ApiContext, row: ExperimentRow): Promise<void> {
  const resolved = row.resolvedSpec as ReturnType<typeof resolveExperimentSpec>;
  const input: ExperimentWorkflowInput = {
    experimentId: row.id,
    backend: resolved.spec.backend.kind,
    evaluateCheckpoints: resolved.spec.evaluation.checkpoints,
    arms: resolved.spec.arms.map((arm) => ({ armId: armIdFor(row.id, arm.name), name: arm.name })),
  };
  try {
    await ctx.temporal.workflow.start(experimentWorkflow, {
      taskQueue: ctx.taskQueue,
      workflowId: row.workflowId,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [input],
      typedSearchAttributes: [
        { key: searchAttributes.experimentId, value: row.id },
        { key: searchAttributes.phase, value: 'PENDING' },
        { key: searchAttributes.backend, value: input.backend },
      ],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
