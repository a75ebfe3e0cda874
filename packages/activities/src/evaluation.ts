import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import {
  findEvaluationsByKey,
  getArm,
  getExperiment,
  linkEvaluation,
  tables,
} from '@ballast/db';
import { EVALUATOR_VERSION, programPaths, writeBenchmarkItems } from '@ballast/reference-workload';
import {
  benchmarkRef,
  canonicalJson,
  CONTRACT_VERSION,
  type EvalJobSpec,
  type ResolvedExperimentSpec,
} from '@ballast/schema';
import type { EvaluationOutcome } from '@ballast/workflow-contract';
import type { ActivityDeps } from './deps.js';
import { recordEvalJobResults } from './eval-recording.js';
import { derivedId, sha256Hex } from './hashing.js';
import { jobOutputDir, jobSpecKey } from './job-locations.js';
import { ensureContractJob, resourcesOf, runContractJob } from './run-contract-job.js';
import { heartbeating } from './backend-calls.js';
import { evaluateWithHarnesses } from './harness-evaluation.js';
import { pressuredConfigHash, requestedBenchmarks, requestedPressure, type EvaluationRequest } from './evaluation-request.js';

const itemFilesByDir = new Map<string, Promise<Map<string, string>>>();

/**
 * The benchmark item files, written once per directory: the evaluations of many checkpoints that start
 * together share one write instead of each generating every benchmark's items on the event loop.
 */
function benchmarkItemFiles(dir: string): Promise<Map<string, string>> {
  let files = itemFilesByDir.get(dir);
  if (!files) {
    files = writeBenchmarkItems(dir);
    itemFilesByDir.set(dir, files);
    // A failed write is not remembered: the next evaluation tries again.
    files.catch(() => itemFilesByDir.delete(dir));
  }
  return files;
}

/** Hash of the eval settings that change results; part of every evaluation's cache key. */
export function evalConfigHash(spec: ResolvedExperimentSpec): string {
  const e = spec.spec.evaluation;
  // `evaluator: 'reference'` keeps the keys of evaluations stored before real harnesses existed.
  return sha256Hex(canonicalJson({ evaluator: 'reference', samplesPerItem: e.samplesPerItem, seed: e.seed }));
}

export function evaluationCacheKey(checkpointHash: string, ref: string, configHash: string): string {
  return sha256Hex([checkpointHash, ref, EVALUATOR_VERSION, configHash].join('|'));
}

/**
 * Evaluates one checkpoint on the experiment's benchmarks. Results already stored under the same
 * (checkpoint hash, benchmark@version, evaluator version, eval config hash) are reused; the rest are
 * scored by one eval job, in one process, and stored once per key.
 */
export async function evaluateCheckpoint(deps: ActivityDeps, input: EvaluationRequest): Promise<EvaluationOutcome> {
  const experiment = await getExperiment(deps.db, input.experimentId);
  if (experiment && (experiment.resolvedSpec as ResolvedExperimentSpec).spec.trainer.framework !== 'reference') {
    return await evaluateWithHarnesses(deps, input);
  }
  return await evaluateWithReference(deps, input);
}

/** The SIMULATED reference evaluator on the reference benchmarks. */
async function evaluateWithReference(deps: ActivityDeps, input: EvaluationRequest): Promise<EvaluationOutcome> {
  const ctx = Context.current();
  // Until the job runs, and after it, this activity's own work (queries, item files, recording) heartbeats
  // on a timer: under load it can outlast the heartbeat timeout. During the job, runContractJob heartbeats
  // with the details a retry resumes from, which nothing else may overwrite.
  const prepared = await heartbeating(() => ctx.heartbeat({ preparing: input.checkpointId }), async () => {
    const experiment = await getExperiment(deps.db, input.experimentId);
    const arm = await getArm(deps.db, input.armId);
    const checkpoint = (await deps.db.select().from(tables.checkpoints).where(eq(tables.checkpoints.id, input.checkpointId)))[0];
    if (!experiment || !arm || !checkpoint) throw ApplicationFailure.nonRetryable(`no checkpoint ${input.checkpointId}`, 'NotFound');
    const spec = experiment.resolvedSpec as ResolvedExperimentSpec;
    const refs = (await requestedBenchmarks(deps, spec, input)).map(benchmarkRef);
    const pressure = requestedPressure(spec, input);
    const configHash = pressuredConfigHash(evalConfigHash(spec), pressure);
    const keyOf = new Map(refs.map((ref) => [ref, evaluationCacheKey(checkpoint.contentHash, ref, configHash)]));
    const cached = await findEvaluationsByKey(deps.db, [...keyOf.values()]);
    for (const row of cached) await linkEvaluation(deps.db, checkpoint.id, row.id);
    const cachedKeys = new Set(cached.map((r) => r.cacheKey));
    const missing = refs.filter((ref) => !cachedKeys.has(keyOf.get(ref)!));
    if (missing.length === 0) return { kind: 'cached' as const, outcome: { checkpointId: checkpoint.id, evaluated: 0, cached: cached.length } };

    const itemFiles = await benchmarkItemFiles(deps.paths.benchmarks);
    // Keyed on the full benchmark list, not on what is missing now: a retry after a partial recording
    // adopts the job that already ran instead of evaluating the same keys again.
    const jobId = derivedId('job', input.armId, 'eval', checkpoint.contentHash, configHash, ...refs);
    const outputDir = jobOutputDir(deps, jobId);
    await mkdir(outputDir, { recursive: true });
    const jobSpec: EvalJobSpec = {
      contractVersion: CONTRACT_VERSION,
      kind: 'eval',
      checkpointPath: fileURLToPath(checkpoint.uri),
      benchmarks: missing.map((ref) => ({ ref, itemsPath: itemFiles.get(ref)! })),
      samplesPerItem: spec.spec.evaluation.samplesPerItem,
      seed: spec.spec.evaluation.seed,
      ...(pressure === null ? {} : { pressure }),
    };
    const specUri = await deps.store.writeJson(jobSpecKey(jobId), jobSpec);
    const job = await ensureContractJob(deps, { id: jobId, armId: input.armId, kind: 'eval', backend: spec.spec.backend, specUri, outputDir });
    return { kind: 'run' as const, arm, checkpoint, spec, configHash, keyOf, cached, missing, jobId, outputDir, specUri, job, pressure };
  });
  if (prepared.kind === 'cached') return prepared.outcome;
  const { arm, checkpoint, spec, configHash, keyOf, cached, missing, jobId, outputDir, specUri, job, pressure } = prepared;
  await runContractJob(deps, {
    job,
    description: `eval job ${jobId} (arm '${arm.name}', ${checkpoint.lineage === 'train' ? '' : `${checkpoint.lineage} `}step ${checkpoint.step}${pressure ? `, pressure ${pressure.ref}` : ''})`,
    command: [process.execPath, programPaths.evaluate],
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
      missing.map((ref) => ({ ref, cacheKey: keyOf.get(ref)!, evaluatorVersion: () => EVALUATOR_VERSION })),
    );
  });
  return { checkpointId: checkpoint.id, evaluated: missing.length, cached: cached.length };
}
