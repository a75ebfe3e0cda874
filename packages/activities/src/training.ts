import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import {
  getArm,
  getExperiment,
  getMix,
  recordCheckpoint,
  updateArm,
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
  const jobId = derivedId('job', input.armId, 'train');
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
  const parentId = ctx.info.workflowExecution?.workflowId;
  if (!parentId) throw ApplicationFailure.nonRetryable('runTrainingJob must run inside a workflow', 'NoWorkflow');
  const parent = deps.temporal.workflow.getHandle(parentId);
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
  checkpoints.sort((a, b) => a.step - b.step);
  return { jobId, attempts, finalStep, recordsSeen, checkpoints };
}

/** The training metrics an arm shows (API, `ballast status`), in this order, when the job reports them. */
export const ARM_METRICS = ['reward', 'kl', 'loss', 'entropy', 'response_length', 'step_time'] as const;

function armMetricsOf(metrics: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of ARM_METRICS) if (Number.isFinite(metrics[name])) out[name] = metrics[name]!;
  return out;
}
