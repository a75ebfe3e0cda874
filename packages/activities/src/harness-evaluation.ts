import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { findEvaluationsByKey, getArm, getExperiment, linkEvaluation, tables } from '@ballast/db';
import { harnessProgramPath } from '@ballast/harnesses';
import {
  benchmarkRef,
  canonicalJson,
  CONTRACT_VERSION,
  type BenchmarkInfo,
  type HarnessBenchmarkInput,
  type HarnessEvalJobSpec,
  type ResolvedExperimentSpec,
} from '@ballast/schema';
import type { EvaluationOutcome } from '@ballast/workflow-contract';
import { heartbeating } from './backend-calls.js';
import { benchmarkEntryHash } from './benchmark-selection.js';
import { pressuredConfigHash, requestedBenchmarks, requestedPressure, type EvaluationRequest } from './evaluation-request.js';
import { checkpointModelDir } from './checkpoint-model.js';
import type { ActivityDeps } from './deps.js';
import { recordEvalJobResults } from './eval-recording.js';
import { harnessVersions, taskContentHash } from './harness-identity.js';
import { derivedId, sha256Hex } from './hashing.js';
import { jobOutputDir, jobSpecKey } from './job-locations.js';
import { ensureContractJob, resourcesOf, runContractJob } from './run-contract-job.js';

type RealBenchmark = BenchmarkInfo & { harness: Exclude<BenchmarkInfo['harness'], { kind: 'reference' }> };

/** Hash of the eval settings that change a real harness's results. */
export function harnessConfigHash(spec: ResolvedExperimentSpec): string {
  const e = spec.spec.evaluation;
  return sha256Hex(canonicalJson({ samplesPerItem: e.samplesPerItem, seed: e.seed, limit: e.limit ?? null, decoding: e.decoding }));
}

/**
 * The cache key of one real-harness evaluation: the checkpoint, the benchmark entry (its content, so a
 * changed entry is a new key even under the same ref), the harness and its version, the task's files,
 * and the eval settings.
 */
export function harnessCacheKey(parts: {
  checkpointHash: string;
  ref: string;
  entryHash: string;
  harness: string;
  /** The versions of the model code under the harness (torch, transformers). */
  modelStack: string;
  /** Where the model ran: `cpu` or `cuda` (kernels differ in their last bits). */
  device: string;
  taskHash: string;
  configHash: string;
}): string {
  return sha256Hex(
    ['harness-v2', parts.checkpointHash, parts.ref, parts.entryHash, parts.harness, parts.modelStack, parts.device, parts.taskHash, parts.configHash].join('|'),
  );
}

/**
 * Evaluates one checkpoint of a real model with the harnesses its benchmarks name (inspect_ai,
 * lm-eval), in one eval job. Results already stored under the same cache key are reused.
 */
export async function evaluateWithHarnesses(deps: ActivityDeps, input: EvaluationRequest): Promise<EvaluationOutcome> {
  const ctx = Context.current();
  const prepared = await heartbeating(() => ctx.heartbeat({ preparing: input.checkpointId }), async () => {
    const experiment = await getExperiment(deps.db, input.experimentId);
    const arm = await getArm(deps.db, input.armId);
    const checkpoint = (await deps.db.select().from(tables.checkpoints).where(eq(tables.checkpoints.id, input.checkpointId)))[0];
    if (!experiment || !arm || !checkpoint) throw ApplicationFailure.nonRetryable(`no checkpoint ${input.checkpointId}`, 'NotFound');
    const spec = experiment.resolvedSpec as ResolvedExperimentSpec;
    const benchmarks = (await requestedBenchmarks(deps, spec, input)) as RealBenchmark[];
    const pressure = requestedPressure(spec, input);
    const environment = spec.spec.evaluation.environment;
    const python = deps.ml?.pythonFor(environment, spec.spec.backend.kind) ?? null;
    const localPython = deps.ml?.pythonFor(environment, 'local') ?? null;
    if (python === null || localPython === null) {
      throw ApplicationFailure.nonRetryable(`no environment '${environment}' is configured (ml.environments) on this worker`, 'EnvironmentUnknown');
    }
    const versions = await harnessVersions(localPython, environment, [...new Set(benchmarks.map((b) => b.harness.kind))]);
    const configHash = pressuredConfigHash(harnessConfigHash(spec), pressure);
    const device = spec.spec.backend.resources.gpus > 0 ? 'cuda' : 'cpu';
    const keyOf = new Map<string, string>();
    for (const b of benchmarks) {
      const ref = benchmarkRef(b);
      keyOf.set(
        ref,
        harnessCacheKey({
          checkpointHash: checkpoint.contentHash,
          ref,
          entryHash: benchmarkEntryHash(b),
          harness: `${b.harness.kind}@${versions[b.harness.kind]}`,
          modelStack: versions.modelStack,
          device,
          taskHash: await taskContentHash(b.harness),
          configHash,
        }),
      );
    }
    const cached = await findEvaluationsByKey(deps.db, [...keyOf.values()]);
    for (const row of cached) await linkEvaluation(deps.db, checkpoint.id, row.id);
    const cachedKeys = new Set(cached.map((r) => r.cacheKey));
    const missing = benchmarks.filter((b) => !cachedKeys.has(keyOf.get(benchmarkRef(b))!));
    if (missing.length === 0) return { kind: 'cached' as const, outcome: { checkpointId: checkpoint.id, evaluated: 0, cached: cached.length } };

    // Keyed on every key, not on what is missing now: a retry after a partial recording adopts the same job.
    const jobId = derivedId('job', input.armId, 'eval', checkpoint.contentHash, ...[...keyOf.values()].sort());
    const outputDir = jobOutputDir(deps, jobId);
    await mkdir(outputDir, { recursive: true });
    const e = spec.spec.evaluation;
    const jobSpec: HarnessEvalJobSpec = {
      contractVersion: CONTRACT_VERSION,
      kind: 'harness-eval',
      checkpointPath: await checkpointModelDir(fileURLToPath(checkpoint.uri)),
      python,
      environmentName: environment,
      benchmarks: missing.map(harnessInputOf),
      samplesPerItem: e.samplesPerItem,
      seed: e.seed,
      ...(e.limit !== undefined ? { limit: e.limit } : {}),
      decoding: e.decoding,
      device,
      ...(pressure === null ? {} : { pressure }),
    };
    const specUri = await deps.store.writeJson(jobSpecKey(jobId), jobSpec);
    const job = await ensureContractJob(deps, { id: jobId, armId: input.armId, kind: 'eval', backend: spec.spec.backend, specUri, outputDir });
    return { kind: 'run' as const, arm, checkpoint, spec, configHash, keyOf, cached, missing, jobId, outputDir, specUri, job, versions, pressure };
  });
  if (prepared.kind === 'cached') return prepared.outcome;
  const { arm, checkpoint, spec, configHash, keyOf, cached, missing, jobId, outputDir, specUri, job, versions, pressure } = prepared;
  await runContractJob(deps, {
    job,
    description: `eval job ${jobId} (arm '${arm.name}', step ${checkpoint.step})`,
    command: [process.execPath, harnessProgramPath],
    specUri,
    seed: spec.spec.evaluation.seed,
    resources: resourcesOf(spec.spec.backend.resources),
    timeLimitMinutes: spec.spec.backend.resources.timeLimitMinutes,
    retries: spec.spec.backend.retries,
  });
  await heartbeating(() => ctx.heartbeat({ recording: input.checkpointId }), async () => {
    await recordEvalJobResults(
      deps,
      { jobId, outputDir, checkpointId: checkpoint.id, checkpointHash: checkpoint.contentHash, configHash, pressureRef: pressure?.ref ?? null },
      missing.map((b) => ({
        ref: benchmarkRef(b),
        cacheKey: keyOf.get(benchmarkRef(b))!,
        evaluatorVersion: (summary) => `${b.harness.kind}@${summary.harness?.version ?? versions[b.harness.kind]}`,
      })),
    );
  });
  return { checkpointId: checkpoint.id, evaluated: missing.length, cached: cached.length };
}

/** A registry entry as the eval job takes it: file URIs turned into the resolved paths they name. */
function harnessInputOf(b: RealBenchmark): HarnessBenchmarkInput {
  const harness =
    b.harness.kind === 'inspect'
      ? { ...b.harness, task: b.harness.task.startsWith('file://') ? fileUriToTask(b.harness.task) : b.harness.task }
      : { ...b.harness, ...(b.harness.includePath ? { includePath: fileURLToPath(b.harness.includePath) } : {}) };
  return { ref: benchmarkRef(b), category: b.category, metric: b.metric, direction: b.direction, harness };
}

/** `file:///dir/task.py#name` → `/dir/task.py#name` (the eval program turns `#name` into inspect's own form). */
function fileUriToTask(uri: string): string {
  const hash = uri.indexOf('#');
  return hash < 0 ? fileURLToPath(uri) : `${fileURLToPath(uri.slice(0, hash))}${uri.slice(hash)}`;
}
