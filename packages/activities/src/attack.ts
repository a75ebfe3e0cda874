import { ApplicationFailure } from '@temporalio/common';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, copyFile, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  attackLineage,
  findReusableRun,
  getArm,
  getJob,
  getExperiment,
  listAttackCheckpoints,
  listCheckpoints,
  recordCheckpoint,
  recordReusableRun,
  type ArmRow,
  type CheckpointRow,
} from '@ballast/db';
import { listCommittedCheckpoints } from '@ballast/job-contract';
import { pressureRef, type ResolvedExperimentSpec, type ResolvedPersistence } from '@ballast/schema';
import type { AttackOutcome, PersistencePlan } from '@ballast/workflow-contract';
import { attackJobFor } from './attack-jobs.js';
import { datasetPath } from './datasets.js';
import type { ActivityDeps } from './deps.js';
import { derivedId } from './hashing.js';
import { jobOutputDir } from './job-locations.js';
import { readRuntimeEnvironment } from './runtime-environment.js';
import { ensureContractJob, resourcesOf, runContractJob } from './run-contract-job.js';
import { attackKeyFor } from './training-key.js';
import { adoptCheckpoints, checkpointFilesPresent } from './reused-checkpoints.js';
import { ATTACK_CORPUS_PATH } from '@ballast/reference-workload';

async function load(deps: ActivityDeps, input: { experimentId: string; armId: string }) {
  const experiment = await getExperiment(deps.db, input.experimentId);
  const arm = await getArm(deps.db, input.armId);
  if (!experiment || !arm) throw ApplicationFailure.nonRetryable(`no arm ${input.armId} in ${input.experimentId}`, 'NotFound');
  return { spec: experiment.resolvedSpec as ResolvedExperimentSpec, arm };
}

/** The declared arm a run belongs to (runs stored before replicates are their own arm). */
function armNameOf(arm: ArmRow): string {
  return (arm.resolved as { arm?: string }).arm ?? arm.name;
}

/** What persistence work a run has, as its experiment locked it at launch. */
export async function persistencePlan(deps: ActivityDeps, input: { experimentId: string; armId: string }): Promise<PersistencePlan> {
  const { spec, arm } = await load(deps, input);
  const p: ResolvedPersistence | null | undefined = spec.spec.persistence;
  if (!p || !p.arms.includes(armNameOf(arm))) return { stressed: false, benchmarks: [], steering: [], pressure: [], attacks: [] };
  return {
    stressed: true,
    benchmarks: p.benchmarks,
    steering: p.steering,
    // A kind-'none' condition applies nothing: its point is the unpressured evaluation.
    pressure: p.pressure.filter((c) => c.kind !== 'none').map(pressureRef),
    attacks: p.attacks.map((a) => ({ name: a.name, steps: a.steps })),
  };
}

/** The attack data as a local file: the SYNTHETIC corpus shipped with the reference workload, or a user's file (inside the allowed roots). */
async function attackDataPath(deps: ActivityDeps, uri: string, field: string): Promise<string> {
  if (uri !== 'reference://attack') return await datasetPath(uri, deps.paths, field);
  // Copied beside the reference corpora, so every backend that reads those reads this too.
  const target = join(deps.paths.referenceDatasets, 'attack.synthetic.jsonl');
  try {
    await access(target);
  } catch {
    await mkdir(deps.paths.referenceDatasets, { recursive: true });
    const staging = `${target}.${process.pid}.tmp`;
    await copyFile(ATTACK_CORPUS_PATH, staging);
    await rename(staging, target);
  }
  return target;
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/**
 * Runs one harmful fine-tuning attack from a run's final checkpoint (a job like training: exactly once
 * by id, resumable, cancellable, charged in GPU/CPU-hours), and records the checkpoints it committed at
 * the attack's listed steps under lineage `attack:<name>`. An identical earlier attack (same attacked
 * checkpoint, data, settings and code) is reused instead.
 */
export async function runAttackJob(deps: ActivityDeps, input: { experimentId: string; armId: string; attack: string }): Promise<AttackOutcome> {
  const { spec, arm } = await load(deps, input);
  const attack = spec.spec.persistence?.attacks.find((a) => a.name === input.attack);
  if (!attack) throw ApplicationFailure.nonRetryable(`no attack '${input.attack}' in ${input.experimentId}`, 'NotFound');
  const trained = await listCheckpoints(deps.db, [arm.id]);
  const final = trained[trained.length - 1];
  if (!final) throw ApplicationFailure.nonRetryable(`arm '${arm.name}' has no checkpoint to attack`, 'NoCheckpoint');
  const ref = spec.spec.datasets[attack.dataset];
  if (!ref) throw ApplicationFailure.nonRetryable(`no dataset '${attack.dataset}'`, 'NotFound');
  const dataPath = await attackDataPath(deps, ref.uri, `datasets.${attack.dataset}.uri`);
  const lineage = attackLineage(attack.name);
  const key = await attackKeyFor(deps, spec, { checkpointHash: final.contentHash, dataHash: await fileSha256(dataPath), attack: { ...attack, name: null }, seed: arm.seed });

  const jobId = derivedId('job', arm.id, 'attack', attack.name);
  // Decided once, as for training: an attack whose job exists (an earlier attempt submitted it) goes on.
  const reuse = spec.spec.reuse === false || (await getJob(deps.db, jobId)) ? ({ kind: 'none' } as const) : await reuseAttack(deps, arm, key, lineage, attack.steps);
  if (reuse.kind === 'reused') return { attack: attack.name, ...reuse.outcome };

  const outputDir = jobOutputDir(deps, jobId);
  await mkdir(outputDir, { recursive: true });
  const saveSteps = attack.steps.filter((s) => s > 0);
  const prepared = await attackJobFor(spec).prepare({
    deps,
    spec,
    jobId,
    outputDir,
    baseCheckpointPath: fileURLToPath(final.uri),
    dataPath,
    steps: Math.max(...saveSteps),
    saveSteps,
    batchSize: attack.batchSize,
    learningRate: attack.learningRate,
    seed: arm.seed,
  });
  const job = await ensureContractJob(deps, { id: jobId, armId: arm.id, kind: 'attack', backend: spec.spec.backend, specUri: prepared.specUri, outputDir });
  await runContractJob(deps, {
    job,
    description: `attack job ${jobId} (arm '${arm.name}', attack '${attack.name}')`,
    command: prepared.command,
    env: prepared.env,
    specUri: prepared.specUri,
    seed: arm.seed,
    resumeFrom: 'auto',
    resources: resourcesOf(spec.spec.backend.resources),
    timeLimitMinutes: spec.spec.backend.resources.timeLimitMinutes,
    retries: spec.spec.backend.retries,
  });
  const environment = await readRuntimeEnvironment(outputDir);
  const committed = await listCommittedCheckpoints(outputDir);
  const checkpoints: AttackOutcome['checkpoints'][number][] = [];
  for (const c of committed) {
    if (!saveSteps.includes(c.step)) continue; // a framework saving on a finer grid than asked
    const row = await recordCheckpoint(deps.db, {
      id: derivedId('checkpoint', arm.id, lineage, c.marker.contentHash),
      armId: arm.id,
      jobId,
      step: c.step,
      contentHash: c.marker.contentHash,
      uri: deps.store.uriFor(`jobs/${jobId}/checkpoints/step-${c.step}`),
      committedAt: new Date(c.marker.committedAt),
      environment,
      lineage,
    });
    checkpoints.push({ checkpointId: row.id, step: row.step, contentHash: row.contentHash });
  }
  const missing = saveSteps.filter((s) => !checkpoints.some((c) => c.step === s));
  if (missing.length > 0) throw ApplicationFailure.nonRetryable(`attack job ${jobId} committed no checkpoint at step ${missing.join(', ')}`, 'NoCheckpoint');
  await recordReusableRun(deps.db, { key, kind: 'attack', armId: arm.id, lineage }, { replace: reuse.kind === 'unusable' });
  return { attack: attack.name, checkpoints };
}

/** An identical earlier attack's checkpoints, recorded for this arm too; null when there is none usable. */
async function reuseAttack(
  deps: ActivityDeps,
  arm: ArmRow,
  key: string,
  lineage: string,
  steps: readonly number[],
): Promise<{ kind: 'reused'; outcome: Omit<AttackOutcome, 'attack'> } | { kind: 'none' } | { kind: 'unusable' }> {
  const found = await findReusableRun(deps.db, key);
  if (!found || found.arm.id === arm.id) return { kind: 'none' };
  // The owner's checkpoints under its own lineage (it may have named the attack differently).
  const theirs = (await listAttackCheckpoints(deps.db, [found.arm.id])).filter((c: CheckpointRow) => c.lineage === found.lineage && steps.includes(c.step));
  const byStep = new Map<number, CheckpointRow>();
  for (const c of theirs) if (!byStep.has(c.step)) byStep.set(c.step, c);
  if (steps.some((s) => s > 0 && !byStep.has(s))) return { kind: 'unusable' };
  const ordered = [...byStep.values()].sort((a, b) => a.step - b.step);
  if (!(await checkpointFilesPresent(ordered))) return { kind: 'unusable' };
  const checkpoints = await adoptCheckpoints(deps, arm.id, lineage, ordered);
  deps.log('info', 'reused an identical finished attack', { armId: arm.id, source: found.arm.id });
  return { kind: 'reused', outcome: { checkpoints, reusedFrom: { armId: found.arm.id, experimentId: found.arm.experimentId } } };
}
