import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import {
  findReusableRun,
  getArm,
  getJob,
  getExperiment,
  getMix,
  listCheckpoints,
  recordCheckpoint,
  recordReusableRun,
  updateArm,
  TRAIN_LINEAGE,
  type ArmRow,
} from '@ballast/db';
import { listCommittedCheckpoints, readLatestMetrics, readStatusFile } from '@ballast/job-contract';
import { MixManifest, type ResolvedArm, type ResolvedExperimentSpec } from '@ballast/schema';
import { checkpointCommittedSignal, type TrainingOutcome } from '@ballast/workflow-contract';
import { mkdir } from 'node:fs/promises';
import type { ActivityDeps } from './deps.js';
import { derivedId } from './hashing.js';
import { jobOutputDir } from './job-locations.js';
import { ensureContractJob, resourcesOf, runContractJob } from './run-contract-job.js';
import { readRuntimeEnvironment } from './runtime-environment.js';
import { trainerFor } from './trainers/index.js';
import { trainingKeyFor } from './training-key.js';
import { adoptCheckpoints, checkpointFilesPresent } from './reused-checkpoints.js';

/**
 * Runs an arm's training job to completion on its backend. Program failures end the arm (they are not
 * retried); infrastructure failures start a new Attempt that resumes from the latest committed
 * checkpoint. Each newly committed checkpoint is recorded and announced to the arm workflow at once,
 * so its evaluation starts while training goes on.
 */
export async function runTrainingJob(deps: ActivityDeps, input: { experimentId: string; armId: string }): Promise<TrainingOutcome> {
  const ctx = Context.current();
  const experiment = await getExperiment(deps.db, input.experimentId);
  const arm = await getArm(deps.db, input.armId);
  if (!experiment || !arm || !arm.mixId) {
    throw ApplicationFailure.nonRetryable(`arm ${input.armId} has no mix yet`, 'NotReady');
  }
  const mix = await getMix(deps.db, arm.mixId);
  if (!mix) throw ApplicationFailure.nonRetryable(`mix ${arm.mixId} is not recorded`, 'NotFound');
  const spec = experiment.resolvedSpec as ResolvedExperimentSpec;
  const resolvedArm = arm.resolved as ResolvedArm;
  const parentId = ctx.info.workflowExecution?.workflowId;
  if (!parentId) throw ApplicationFailure.nonRetryable('runTrainingJob must run inside a workflow', 'NoWorkflow');
  const parent = deps.temporal.workflow.getHandle(parentId);
  const trainingKey = await trainingKeyFor(deps, spec, resolvedArm, mix.id);
  await updateArm(deps.db, input.armId, { trainingKey });
  const jobId = derivedId('job', input.armId, 'train');
  // Decided once: an arm whose training job exists (an earlier attempt submitted it) keeps training,
  // even if an identical run has finished since, so no submitted job is left unwatched.
  const reuse = spec.spec.reuse === false || (await getJob(deps.db, jobId)) ? ({ kind: 'none' } as const) : await reuseTraining(deps, arm, trainingKey, (event) => parent.signal(checkpointCommittedSignal, event));
  if (reuse.kind === 'reused') return reuse.outcome;
  const outputDir = jobOutputDir(deps, jobId);
  await mkdir(outputDir, { recursive: true });
  const { command, env, specUri, distributed } = await trainerFor(spec.spec.trainer).prepare({
    deps,
    spec,
    arm: resolvedArm,
    manifest: MixManifest.parse(mix.manifest),
    jobId,
    outputDir,
  });
  const job = await ensureContractJob(deps, { id: jobId, armId: input.armId, kind: 'train', backend: spec.spec.backend, specUri, outputDir });

  // The reference trainer counts the records it read; a real framework reads batchSize prompts a step.
  const recordsSeenAt = (step: number, metrics: Record<string, number>) =>
    Math.round(metrics['recordsSeen'] ?? (spec.spec.trainer.framework === 'reference' ? 0 : Math.max(step, 0) * spec.spec.trainer.batchSize));
  // Cumulative tokens: the reference trainer's own count, or the framework's (the model's tokenizer).
  const tokensSeenIn = (metrics: Record<string, number>): number | null => {
    const tokens = metrics['tokensSeen'] ?? metrics['tokens_seen'];
    return tokens !== undefined && Number.isFinite(tokens) ? Math.round(tokens) : null;
  };
  const announced = new Set<number>();
  const checkpoints: TrainingOutcome['checkpoints'][number][] = [];
  let lastStep = -1;
  const discover = async () => {
    for (const c of await listCommittedCheckpoints(outputDir)) {
      if (announced.has(c.step)) continue;
      const environment = await readRuntimeEnvironment(outputDir);
      const row = await recordCheckpoint(deps.db, {
        id: derivedId('checkpoint', input.armId, c.marker.contentHash),
        armId: input.armId,
        jobId,
        step: c.step,
        contentHash: c.marker.contentHash,
        uri: deps.store.uriFor(`jobs/${jobId}/checkpoints/step-${c.step}`),
        committedAt: new Date(c.marker.committedAt),
        environment,
      });
      const event = { checkpointId: row.id, step: c.step, contentHash: c.marker.contentHash };
      await parent.signal(checkpointCommittedSignal, event);
      announced.add(c.step);
      checkpoints.push(event);
    }
    const last = await readLatestMetrics(outputDir);
    if (last && last.step !== lastStep) {
      lastStep = last.step;
      await updateArm(deps.db, input.armId, {
        trainStep: last.step,
        recordsSeen: recordsSeenAt(last.step, last.metrics),
        ...(tokensSeenIn(last.metrics) === null ? {} : { tokensSeen: tokensSeenIn(last.metrics) }),
        metrics: armMetricsOf(last.metrics),
      });
    }
  };

  const attempts = await runContractJob(deps, {
    job,
    description: `training job ${jobId} (arm '${arm.name}')`,
    command,
    env,
    distributed,
    specUri,
    seed: resolvedArm.seed,
    resumeFrom: 'auto',
    resources: resourcesOf(spec.spec.backend.resources),
    timeLimitMinutes: spec.spec.backend.resources.timeLimitMinutes,
    retries: spec.spec.backend.retries,
    onPoll: discover,
  });
  await discover();
  const status = await readStatusFile(outputDir);
  const finalStep = status?.progress['step'] ?? lastStep;
  const recordsSeen = status?.progress['recordsSeen'] ?? recordsSeenAt(finalStep, {});
  const tokensSeen = tokensSeenIn(status?.progress ?? {});
  await updateArm(deps.db, input.armId, { trainStep: finalStep, recordsSeen, ...(tokensSeen === null ? {} : { tokensSeen }) });
  // Finished: later arms with the same inputs may reuse this run (the first to finish owns the key;
  // this run takes it over when the owner's files are gone).
  await recordReusableRun(deps.db, { key: trainingKey, kind: 'train', armId: input.armId }, { replace: reuse.kind === 'unusable' });
  checkpoints.sort((a, b) => a.step - b.step);
  return { jobId, attempts, finalStep, recordsSeen, checkpoints };
}

/**
 * Reuses an identical finished run (same training key) instead of training: its checkpoints are
 * recorded for this arm too (same content, same files) and announced, so this arm's evaluations find
 * the stored results by their cache keys and run nothing. `none` when there is no such run;
 * `unusable` when its checkpoints' files are gone (this arm then trains and takes the key over).
 */
async function reuseTraining(
  deps: ActivityDeps,
  arm: ArmRow,
  trainingKey: string,
  announce: (event: { checkpointId: string; step: number; contentHash: string }) => Promise<void>,
): Promise<{ kind: 'reused'; outcome: TrainingOutcome } | { kind: 'none' } | { kind: 'unusable' }> {
  const found = await findReusableRun(deps.db, trainingKey);
  if (!found || found.arm.id === arm.id) return { kind: 'none' };
  const source = found.arm;
  const theirs = await listCheckpoints(deps.db, [source.id]);
  const final = theirs[theirs.length - 1];
  if (!final) return { kind: 'unusable' };
  // Every checkpoint, not only the last: this experiment may evaluate them all.
  if (!(await checkpointFilesPresent(theirs))) {
    deps.log('warn', "an identical run exists but its checkpoints' files are gone; training again", { armId: arm.id, source: source.id });
    return { kind: 'unusable' };
  }
  const checkpoints = await adoptCheckpoints(deps, arm.id, TRAIN_LINEAGE, theirs);
  for (const event of checkpoints) await announce(event);
  await updateArm(deps.db, arm.id, {
    reusedFromArmId: source.id,
    trainStep: source.trainStep,
    recordsSeen: source.recordsSeen,
    ...(source.tokensSeen === null ? {} : { tokensSeen: source.tokensSeen }),
    ...(source.metrics === null ? {} : { metrics: source.metrics }),
  });
  deps.log('info', 'reused an identical finished training run', { armId: arm.id, source: source.id, experiment: source.experimentId });
  return {
    kind: 'reused',
    outcome: { jobId: final.jobId, attempts: 0, finalStep: final.step, recordsSeen: source.recordsSeen, checkpoints, reusedFrom: { armId: source.id, experimentId: source.experimentId } },
  };
}

/** The training metrics an arm shows (API, `ballast status`), in this order, when the job reports them. */
export const ARM_METRICS = ['reward', 'kl', 'loss', 'entropy', 'response_length', 'step_time'] as const;

function armMetricsOf(metrics: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of ARM_METRICS) if (Number.isFinite(metrics[name])) out[name] = metrics[name]!;
  return out;
}
