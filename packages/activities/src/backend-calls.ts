import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { BackendError, BackendUnreachableError } from '@ballast/backends';
import { recordReachability } from '@ballast/db';
import type { ActivityDeps } from './deps.js';

/** Heartbeat cadence; the workflows' heartbeat timeout is 15 s. */
export const HEARTBEAT_EVERY_MS = 3000;

/** Runs `work` while heartbeating, so a slow backend call (a Slurm command, a cancel that waits) is not taken for a dead worker. */
export async function heartbeating<T>(beat: () => void, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(beat, HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * Runs a backend call that must not be answered by "nothing there" while the backend cannot be asked
 * (submit, find by key, cancel): an unreachable backend is waited out inside the activity, heartbeating,
 * and retried every poll interval, so an outage never uses up the activity's retries and nothing is
 * submitted until the backend can say what it holds. The spell is recorded on `recordOn`'s attempt.
 */
export async function whenReachable<T>(
  deps: ActivityDeps,
  beat: () => void,
  recordOn: { jobId: string; attemptId?: string },
  call: () => Promise<T>,
): Promise<T> {
  const ctx = Context.current();
  let unreachable = false;
  for (;;) {
    try {
      const result = await heartbeating(beat, call);
      if (unreachable && recordOn.attemptId) await recordReachability(deps.db, recordOn.attemptId, null);
      return result;
    } catch (error) {
      if (!(error instanceof BackendUnreachableError)) throw asActivityFailure(error);
      if (!unreachable) {
        deps.log('warn', 'backend unreachable; waiting for it', { jobId: recordOn.jobId, detail: error.message });
        if (recordOn.attemptId) await recordReachability(deps.db, recordOn.attemptId, { detail: error.message });
        unreachable = true;
      }
    }
    beat();
    await ctx.sleep(Math.max(deps.pollIntervalMs, 1000));
  }
}

/** Backend errors that retrying cannot fix become non-retryable, with their stable code as the type. */
export function asActivityFailure(error: unknown): unknown {
  if (error instanceof BackendError && NON_RETRYABLE_BACKEND_ERRORS.has(error.code)) {
    return ApplicationFailure.nonRetryable(error.message, error.code);
  }
  return error;
}
const NON_RETRYABLE_BACKEND_ERRORS = new Set<string>(['BACKEND_INVALID_REQUEST', 'BACKEND_WRONG_HANDLE', 'BACKEND_CORRUPT_STATE']);
