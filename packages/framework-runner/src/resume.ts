import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ContractInputError, listCommittedCheckpoints, type CommittedCheckpoint } from '@ballast/job-contract';
import { listCompleteNativeCheckpoints, readNativeReference, verifyNativeReference, type NativeReference } from '@ballast/frameworks';
import { CONTRACT_ENV, type FrameworkTrainJobSpec } from '@ballast/schema';
import { FrameworkRunnerError } from './errors.js';

/** The committed checkpoint a run resumes from, with the native checkpoint it stands for (verified). */
export interface ResumePoint {
  readonly step: number;
  readonly checkpointPath: string;
  readonly reference: NativeReference;
}

export interface ResumeInput {
  /** BALLAST_RESUME_FROM as read: `auto`, a path, or null for a fresh start. */
  readonly resumeFrom: string | null;
  readonly outputDir: string;
  readonly spec: FrameworkTrainJobSpec;
  /** Commits the complete native checkpoints not yet committed (an earlier attempt may have finished some). */
  readonly sweep: () => Promise<unknown>;
}

/**
 * Where this attempt starts. `auto` takes the latest committed checkpoint (none: fresh); a path must
 * be the latest committed checkpoint of this OUTPUT; an empty value starts fresh, which is refused
 * while OUTPUT or the native directory hold checkpoints a fresh run would overwrite. Before choosing,
 * complete native checkpoints an earlier attempt left uncommitted are committed. The chosen one's
 * native checkpoint must be unchanged since it was committed: training never continues silently
 * from different weights.
 *
 * @throws ContractInputError for a refused BALLAST_RESUME_FROM; FrameworkRunnerError RUNNER_NATIVE_CHANGED,
 *   RUNNER_NATIVE_REFERENCE_MISSING
 */
export async function decideResume(input: ResumeInput): Promise<ResumePoint | null> {
  const { resumeFrom, outputDir, spec } = input;
  if (resumeFrom === null) {
    await refuseFreshOverExisting(outputDir, spec);
    return null;
  }
  await input.sweep();
  const committed = await listCommittedCheckpoints(outputDir);
  const latest = committed.at(-1);
  let target: CommittedCheckpoint | undefined;
  if (resumeFrom === 'auto') {
    if (latest === undefined) return null;
    target = latest;
  } else {
    target = await findCommitted(committed, resumeFrom);
    if (target === undefined) {
      throw ContractInputError.badEnv(CONTRACT_ENV.resumeFrom, `${resumeFrom} is not a committed checkpoint of this job's OUTPUT (${outputDir})`);
    }
    if (target !== latest) {
      throw ContractInputError.badEnv(
        CONTRACT_ENV.resumeFrom,
        `${resumeFrom} is step ${target.step}, but step ${latest!.step} is committed after it: resuming earlier would overwrite the native checkpoints later ones point at`,
      );
    }
  }

  const reference = await readNativeReference(target.path);
  if (reference === null) throw FrameworkRunnerError.nativeReferenceMissing(target.step, `${target.path} has no valid native.json: it was not committed by a framework runner`);
  if (reference.framework !== spec.framework) {
    throw FrameworkRunnerError.nativeReferenceMissing(target.step, `its native checkpoint is ${reference.framework}'s, and this job runs ${spec.framework}`);
  }
  if (reference.step !== target.step) {
    throw FrameworkRunnerError.nativeReferenceMissing(target.step, `its native.json names step ${reference.step}`);
  }
  const verified = await verifyNativeReference(reference);
  if (!verified.ok) throw FrameworkRunnerError.nativeChanged(target.step, reference.nativePath, verified.problems);
  return { step: target.step, checkpointPath: target.path, reference };
}

async function refuseFreshOverExisting(outputDir: string, spec: FrameworkTrainJobSpec): Promise<void> {
  const committed = await listCommittedCheckpoints(outputDir);
  if (committed.length > 0) {
    throw ContractInputError.badEnv(
      CONTRACT_ENV.resumeFrom,
      `is empty (start fresh), but OUTPUT already holds committed checkpoints (steps ${committed.map((c) => c.step).join(', ')}) whose native checkpoints a fresh run would overwrite; set it to 'auto' to resume`,
    );
  }
  const natives = await listCompleteNativeCheckpoints(spec.framework, spec.nativeOutputDir);
  if (natives.length > 0) {
    throw ContractInputError.badEnv(
      CONTRACT_ENV.resumeFrom,
      `is empty (start fresh), but ${spec.nativeOutputDir} already holds complete checkpoints of an earlier run (steps ${natives.map((c) => c.step).join(', ')}); set it to 'auto' to resume, or use a new directory`,
    );
  }
}

async function findCommitted(committed: readonly CommittedCheckpoint[], path: string): Promise<CommittedCheckpoint | undefined> {
  const wanted = await canonical(path);
  for (const c of committed) if ((await canonical(c.path)) === wanted) return c;
  return undefined;
}

async function canonical(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}
