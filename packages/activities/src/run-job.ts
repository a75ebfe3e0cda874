import { Context, CancelledFailure } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { BackendError, type Backend, type BackendJobHandle, type BackendObservation, type SubmitRequest } from '@ballast/backends';
import { ensureAttempt, recordAttemptObservation, type JobRow } from '@ballast/db';
import { attemptKey, isTerminalJobState, type JobState } from '@ballast/schema';
import type { ActivityDeps } from './deps.js';
import { derivedId } from './hashing.js';

export type TerminalObservation = Extract<BackendObservation, { kind: 'state' }>;

export interface RunAttemptOptions {
  readonly job: JobRow;
  readonly attemptNumber: number;
  readonly request: Omit<SubmitRequest, 'idempotencyKey' | 'jobId' | 'attemptId'>;
  /** Called after each observation, e.g. to discover new checkpoints; must be idempotent. */
  readonly onPoll?: (observation: TerminalObservation) => Promise<void>;
}

export function backendFor(deps: ActivityDeps, kind: string): Backend {
  const backend = deps.backends[kind];
  if (!backend) throw ApplicationFailure.nonRetryable(`no backend '${kind}' is configured on this worker`, 'BackendNotConfigured');
  return backend;
}


function resourceSeconds(obs: TerminalObservation, resources: SubmitRequest['resources']): number | undefined {
  if (!obs.startedAt) return undefined;
  const end = obs.endedAt ? Date.parse(obs.endedAt) : Date.now();
  const seconds = Math.max(0, (end - Date.parse(obs.startedAt)) / 1000);
  return seconds * (resources.gpus > 0 ? resources.gpus : resources.cpus);
}

/**
 * Runs one attempt of a job to a terminal state: submits exactly once (the backend adopts a job that
 * already exists under the attempt's key, which is what makes activity retries and worker crashes
 * safe), then polls with heartbeats, recording each state transition. Cancellation of the activity
 * cancels the backend job and waits until it is terminal. An unreachable backend is waited out, never
 * taken for a failure.
 */
export async function runAttempt(deps: ActivityDeps, options: RunAttemptOptions): Promise<TerminalObservation> {
  const ctx = Context.current();
  const backend = backendFor(deps, options.job.backend);
  const attempt = await ensureAttempt(deps.db, {
    id: derivedId('attempt', options.job.id, String(options.attemptNumber)),
    jobId: options.job.id,
    number: options.attemptNumber,
  });
  const key = attemptKey(options.job.id, options.attemptNumber);
  // Submitting may wait for a launch to settle; keep heartbeating so that is not taken for a dead worker.
  const beat = setInterval(() => ctx.heartbeat({ attempt: options.attemptNumber, submitting: true }), HEARTBEAT_EVERY_MS);
  let submitted;
  try {
    submitted = await backend.submit({
      ...options.request,
      idempotencyKey: key,
      jobId: options.job.id,
      attemptId: attempt.id,
    });
  } catch (error) {
    throw asActivityFailure(error);
  } finally {
    clearInterval(beat);
  }
  const { handle, adopted } = submitted;
  deps.log('info', adopted ? 'adopted running job' : 'submitted job', {
    jobId: options.job.id,
    attempt: options.attemptNumber,
    backendJobId: handle.backendJobId,
  });
  ctx.heartbeat({ backendJobId: handle.backendJobId, attempt: options.attemptNumber });
  let lastState: JobState | null = null;
  try {
    for (;;) {
      const obs = await backend.status(handle);
      if (obs.kind === 'unreachable') {
        deps.log('warn', 'backend unreachable; job state unknown, still waiting', { jobId: options.job.id, detail: obs.detail });
      } else {
        if (obs.state !== lastState) {
          await recordAttemptObservation(deps.db, attempt.id, observationRecord(obs, handle, options.request.resources));
          lastState = obs.state;
        }
        await options.onPoll?.(obs);
        if (isTerminalJobState(obs.state)) {
          await recordAttemptObservation(deps.db, attempt.id, observationRecord(obs, handle, options.request.resources));
          return obs;
        }
      }
      // Sleep in slices so heartbeats stay well inside the heartbeat timeout whatever the poll interval.
      for (let waited = 0; waited < deps.pollIntervalMs; waited += HEARTBEAT_EVERY_MS) {
        ctx.heartbeat({ backendJobId: handle.backendJobId, attempt: options.attemptNumber });
        await ctx.sleep(Math.min(HEARTBEAT_EVERY_MS, deps.pollIntervalMs - waited));
      }
    }
  } catch (error) {
    if (workflowAskedToCancel(ctx)) {
      await backend.cancel(handle);
      const final = await backend.status(handle);
      // A job that ended on its own before the cancel keeps its own outcome.
      const ended = final.kind === 'state' && isTerminalJobState(final.state);
      await recordAttemptObservation(deps.db, attempt.id, {
        ...(final.kind === 'state' ? observationRecord(final, handle, options.request.resources) : {}),
        state: ended ? final.state : 'CANCELLED',
        detail: ended ? (final.detail ?? null) : 'cancelled by request',
      });
      deps.log('info', 'cancelled job', { jobId: options.job.id, backendJobId: handle.backendJobId });
    } else if (error instanceof CancelledFailure) {
      // Worker shutdown, heartbeat timeout, reset: the job keeps running and the next attempt of this
      // activity adopts it. Cancelling here would turn a routine restart into a failed arm.
      deps.log('info', 'activity interrupted; leaving the job running for the next worker', {
        jobId: options.job.id,
        reason: error.message,
      });
    }
    throw asActivityFailure(error);
  }
}

/** Heartbeat cadence; the workflows' heartbeat timeout is 15 s. */
const HEARTBEAT_EVERY_MS = 3000;

/** True only when the workflow requested cancellation, not for a worker shutdown or a timeout. */
function workflowAskedToCancel(ctx: Context): boolean {
  const details = ctx.cancellationDetails;
  if (details) return details.cancelRequested || details.notFound;
  return false;
}

/** Backend errors that retrying cannot fix become non-retryable, with their stable code as the type. */
function asActivityFailure(error: unknown): unknown {
  if (error instanceof BackendError && NON_RETRYABLE_BACKEND_ERRORS.has(error.code)) {
    return ApplicationFailure.nonRetryable(error.message, error.code);
  }
  return error;
}
const NON_RETRYABLE_BACKEND_ERRORS = new Set<string>(['BACKEND_INVALID_REQUEST', 'BACKEND_WRONG_HANDLE', 'BACKEND_CORRUPT_STATE']);

function observationRecord(obs: TerminalObservation, handle: BackendJobHandle, resources: SubmitRequest['resources']) {
  const seconds = resourceSeconds(obs, resources);
  return {
    state: obs.state,
    detail: obs.detail ?? null,
    backendJobId: handle.backendJobId,
    ...(obs.exitCode !== undefined ? { exitCode: obs.exitCode } : {}),
    ...(obs.startedAt ? { startedAt: new Date(obs.startedAt) } : {}),
    ...(obs.endedAt ? { endedAt: new Date(obs.endedAt) } : {}),
    ...(seconds !== undefined ? { resourceSeconds: seconds } : {}),
  };
}

/** States after which a new attempt (resuming from the last checkpoint) is the right response. */
export function isInfrastructureFailure(state: JobState): boolean {
  return state === 'PREEMPTED' || state === 'LOST';
}

export function failureMessage(what: string, obs: TerminalObservation): string {
  const tail = obs.logTail && obs.logTail.length > 0 ? `\n--- last log lines ---\n${obs.logTail.join('\n')}` : '';
  return `${what} ended ${obs.state}${obs.exitCode !== undefined ? ` (exit code ${obs.exitCode})` : ''}${obs.detail ? `: ${obs.detail}` : ''}${tail}`;
}
