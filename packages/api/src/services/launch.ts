import { TRPCError } from '@trpc/server';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { harnessEvaluates, isBenchmarkRegistryError, pressureCondition, pressureConditions, type Registry } from '@ballast/benchmarks';
import { insertExperimentOnce, listExperiments, type ExperimentRow } from '@ballast/db';
import {
  BACKEND_KINDS,
  benchmarkRef,
  canonicalJson,
  ExperimentSpec,
  isHarmCategory,
  pressureRef,
  resolveExperimentSpec,
  trainingInputs,
  specDatasetUris,
  specReferenceIssues,
  toFieldIssues,
  TRAINER_FRAMEWORKS,
  type FieldIssue,
  type PersistenceSpec,
  type ResolvedArm,
  type ResolvedExperimentSpec,
  type TrainerFramework,
} from '@ballast/schema';
import { experimentWorkflow } from '@ballast/workflows';
import { searchAttributes, workflowIds, type ExperimentWorkflowInput } from '@ballast/workflow-contract';
import type { ApiContext } from '../context.js';
import { badRequest } from '../errors.js';
import { armIdFor, newExperimentId, sha256Hex } from './ids.js';
import { attackDataIssues } from './attack-data.js';
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

/**
 * Persistence names benchmarks the trainer's harnesses must be able to score, and pressure conditions
 * that are registered, starting with level 0 (the unpressured anchor of every curve).
 */
function persistenceIssues(registry: Registry, framework: TrainerFramework, persistence: PersistenceSpec | undefined): FieldIssue[] {
  if (persistence === undefined) return [];
  const refIssues = (refs: readonly string[], field: string) =>
    refs.flatMap((ref, i) => {
      const entry = registry.get(ref);
      const path = `spec.spec.persistence.${field}.${i}`;
      if (!entry) return [{ path, message: `no registered benchmark '${ref}' (ballast benchmarks lists them)` }];
      if (!harnessEvaluates(entry.harness.kind, framework)) return [{ path, message: `'${ref}' runs on ${entry.harness.kind}, which cannot score trainer.framework '${framework}' checkpoints` }];
      if (field === 'steering' && entry.category !== 'helpfulness') return [{ path, message: `'${ref}' is a ${entry.category} benchmark; steering benchmarks measure helpfulness (benign instructions followed)` }];
      if (field === 'benchmarks' && !isHarmCategory(entry.category)) return [{ path, message: `'${ref}' is a ${entry.category} benchmark; the harm side takes safety categories (steering benchmarks go in persistence.steering)` }];
      return [];
    });
  const pressure = (persistence.pressure ?? []).flatMap((ref, i) => {
    const condition = pressureCondition(ref);
    if (!condition) return [{ path: `spec.spec.persistence.pressure.${i}`, message: `no registered pressure condition '${ref}' (have: ${pressureConditions().map(pressureRef).join(', ')})` }];
    return [];
  });
  const levels = (persistence.pressure ?? []).flatMap((ref) => pressureCondition(ref)?.level ?? []);
  const anchor = persistence.pressure !== undefined && levels.length === persistence.pressure.length && !levels.includes(0)
    ? [{ path: 'spec.spec.persistence.pressure', message: `must include a level-0 condition (${pressureConditions().filter((c) => c.level === 0).map(pressureRef).join(', ')}): it anchors every pressure curve` }]
    : [];
  // lm-eval wraps a prompt by rewriting the task's own YAML; tasks of lm-eval's registry have none here.
  const chosen = persistence.pressure === undefined ? pressureConditions() : persistence.pressure.flatMap((ref) => pressureCondition(ref) ?? []);
  const wrapper = chosen.find((c) => c.kind === 'prompt-wrapper');
  const unwrappable = wrapper === undefined
    ? []
    : persistence.benchmarks.flatMap((ref, i) => {
        const entry = registry.get(ref);
        return entry?.harness.kind === 'lm-eval' && entry.harness.includePath === undefined
          ? [{ path: `spec.spec.persistence.benchmarks.${i}`, message: `'${ref}' is an lm-eval task from lm-eval's own registry: pressure condition ${pressureRef(wrapper)} wraps prompts, which Ballast does only for tasks with an includePath; list pressure conditions without it` }]
          : [];
      });
  const attacks =
    framework === 'command' && persistence.attacks.length > 0
      ? [{ path: 'spec.spec.persistence.attacks', message: "a configured command trainer's checkpoints have no known format to fine-tune; attacks need trainer.framework reference, trl, verl or openrlhf" }]
      : [];
  return [...refIssues(persistence.benchmarks, 'benchmarks'), ...refIssues(persistence.steering, 'steering'), ...pressure, ...anchor, ...unwrappable, ...attacks];
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

/** What a valid launch request resolves to, before anything is stored: shared by launch and the dry run. */
export interface ValidatedLaunch {
  readonly resolved: ResolvedExperimentSpec;
  readonly specHash: string;
}

/**
 * Every check a launch makes, without storing or starting anything: the schema, cross-references,
 * dataset files, benchmarks, backend, the declared analysis, persistence (attack files' records
 * included) and real-model environments.
 * Throws BAD_REQUEST with every field issue found.
 */
export async function validateLaunch(ctx: ApiContext, raw: unknown): Promise<ValidatedLaunch> {
  const parsed = ExperimentSpec.safeParse(raw);
  const registry = await ctx.benchmarks.registry();
  const issues = launchIssues(ctx, registry, raw, parsed.success, parsed.success ? [] : toFieldIssues(parsed.error.issues, ['spec']));
  if (!parsed.success || issues.length > 0) throw badRequest(issues);

  const evaluated = parsed.data.spec.evaluation.benchmarks === 'all' ? registry.forTrainer(parsed.data.spec.trainer.framework) : registry.resolve(parsed.data.spec.evaluation.benchmarks);
  // The headline family is locked with the benchmark list: the report counts exactly these.
  const resolvedSpec = resolveExperimentSpec(parsed.data, evaluated.map((b) => ({ ref: benchmarkRef(b), category: b.category, metric: b.metric })), pressureConditions());
  const analysisIssues = [
    ...headlineIssues(parsed.data.spec.analysis.headlineBenchmarks, evaluated.map(benchmarkRef), parsed.data.spec.analysis.primaryMetrics, evaluated.map((b) => b.metric)),
    ...persistenceIssues(registry, parsed.data.spec.trainer.framework, parsed.data.spec.persistence),
    ...(await attackDataIssues(ctx, parsed.data.spec)),
  ];
  if (analysisIssues.length > 0) throw badRequest(analysisIssues);
  const persistenceHarnesses = [...(parsed.data.spec.persistence?.benchmarks ?? []), ...(parsed.data.spec.persistence?.steering ?? [])].flatMap((ref) => {
    const entry = registry.get(ref);
    return entry ? [entry.harness.kind] : [];
  });
  const checked = await checkRealModelLaunch(ctx.ml, resolvedSpec, [...new Set([...evaluated.map((b) => b.harness.kind), ...persistenceHarnesses])]);
  if (checked.issues.length > 0) throw badRequest(checked.issues);
  // `all` is locked at launch to the entries registered now, so that a benchmark added later does not
  // change what this experiment's checkpoints are evaluated on.
  const resolved: ResolvedExperimentSpec = {
    ...checked.resolved,
    spec: { ...checked.resolved.spec, evaluation: { ...checked.resolved.spec.evaluation, benchmarks: evaluated.map(benchmarkRef) } },
  };
  return { resolved, specHash: `sha256:${sha256Hex(canonicalJson(resolved))}` };
}

/** A run's spec-level training inputs key (what a dry run matches earlier arms by). */
export function inputsKeyOf(resolved: ResolvedExperimentSpec, arm: ResolvedArm): string {
  return `sha256:${sha256Hex(canonicalJson(trainingInputs(resolved, arm)))}`;
}

/**
 * Validates, stores (raw, resolved and hashed) and starts an experiment. Idempotent by client request
 * id: a repeat returns the first experiment and starts nothing new. Invalid input starts nothing.
 */
export async function launchExperiment(
  ctx: ApiContext,
  request: LaunchRequest,
): Promise<{ row: ExperimentRow; created: boolean }> {
  const { resolved, specHash } = await validateLaunch(ctx, request.spec);
  const id = newExperimentId();
  const simulated = resolved.spec.trainer.framework === 'reference';
  const arms = resolved.spec.arms.map((arm) => ({
    id: armIdFor(id, arm.name),
    experimentId: id,
    name: arm.name,
    seed: arm.seed,
    resolved: arm,
    totalSteps: resolved.spec.trainer.steps,
    inputsKey: inputsKeyOf(resolved, arm),
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
    arms: resolved.spec.arms.map((arm) => ({
      armId: armIdFor(row.id, arm.name),
      name: arm.name,
      ...(resolved.spec.persistence?.arms.includes(arm.arm) ? { persistence: true } : {}),
    })),
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
