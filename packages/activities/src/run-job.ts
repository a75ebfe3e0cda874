import { Context, CancelledFailure } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { BackendError, BackendUnreachableError, type Backend, type BackendJobHandle, type BackendObservation, type SubmitRequest } from '@ballast/backends';
import { ensureAttempt, getAttempt, recordAttemptObservation, recordReachability, type AttemptRow, type JobRow } from '@ballast/db';
import { attemptKey, isTerminalJobState, type JobState } from '@ballast/schema';
import type { ActivityDeps } from './deps.js';
import { derivedId } from './hashing.js';
import { PollBackoff } from './poll-backoff.js';

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


/** What the attempt's heartbeat carries, so that a retry of the activity finds its backend job again. */
interface AttemptHeartbeat {
  attempt: number;
  idempotencyKey: string;
  backendJobId?: string;
  submitting?: boolean;
}

export interface AttemptOutcome {
  readonly observation: TerminalObservation;
  /** The attempt that ended: later than the one asked for when the backend re-ran the job itself. */
  readonly attemptNumber: number;
}

/**
 * Runs one attempt of a job to a terminal state. Submits exactly once: a retry of this activity reuses
 * the backend job id kept in the heartbeat details (or recorded on the attempt), and otherwise the
 * backend adopts a job that already exists under the attempt's key, which makes worker crashes safe.
 * Polls with heartbeats, recording each state transition and each loss of contact. When the backend
 * re-runs the job itself (Slurm's requeue keeps the job id), the attempt ends PREEMPTED and a new one is
 * recorded under the same key without submitting anything. Cancellation of the activity by the workflow
 * cancels the backend job and waits until it is terminal. An unreachable backend is waited out, never
 * taken for a failure.
 */
export async function runAttempt(deps: ActivityDeps, options: RunAttemptOptions): Promise<AttemptOutcome> {
  const ctx = Context.current();
  const { job } = options;
  const backend = backendFor(deps, job.backend);
  let attempt = await ensureAttempt(deps.db, {
    id: derivedId('attempt', job.id, String(options.attemptNumber)),
    jobId: job.id,
    number: options.attemptNumber,
    idempotencyKey: attemptKey(job.id, options.attemptNumber),
  });
  const key = attempt.idempotencyKey;
  const beat = (extra: Partial<AttemptHeartbeat> = {}) =>
    ctx.heartbeat({ attempt: attempt.number, idempotencyKey: key, ...extra } satisfies AttemptHeartbeat);

  const remembered = rememberedBackendJob(ctx.info.heartbeatDetails, attempt.number, key) ?? attempt.backendJobId;
  let handle: BackendJobHandle;
  if (remembered) {
    handle = { backend: backend.kind, backendJobId: remembered, idempotencyKey: key };
    deps.log('info', 'resuming the tracking of a submitted job', { jobId: job.id, attempt: attempt.number, backendJobId: remembered });
  } else {
    const submitted = await submitWhenReachable(deps, backend, attempt, () =>
      backend.submit({ ...options.request, idempotencyKey: key, jobId: job.id, attemptId: attempt.id }),
    );
    handle = submitted.handle;
    deps.log('info', submitted.adopted ? 'adopted a job already submitted under this key' : 'submitted job', {
      jobId: job.id,
      attempt: attempt.number,
      backendJobId: handle.backendJobId,
    });
  }
  beat({ backendJobId: handle.backendJobId });

  const usage = { gpus: job.gpus, cpus: job.cpus };
  let lastState: JobState | null = null;
  let unreachable = false;
  const interval = new PollBackoff(deps.pollIntervalMs);
  try {
    for (;;) {
      const obs = await backend.status(handle);
      if (obs.kind === 'unreachable') {
        if (!unreachable) {
          interval.reset();
          deps.log('warn', 'backend unreachable; job state unknown, still waiting', { jobId: job.id, detail: obs.detail });
          await recordReachability(deps.db, attempt.id, { detail: obs.detail });
          unreachable = true;
        }
      } else {
        if (unreachable) {
          interval.reset();
          deps.log('info', 'backend reachable again', { jobId: job.id, state: obs.state });
          await recordReachability(deps.db, attempt.id, null);
          unreachable = false;
        }
        if ((obs.restarts ?? 0) > attempt.backendRestarts) {
          attempt = await recordBackendRerun(deps, attempt, obs, handle, usage);
          lastState = null;
        }
        if (obs.state !== lastState || isTerminalJobState(obs.state)) {
          await recordAttemptObservation(deps.db, attempt.id, observationRecord(obs, handle, usage));
          lastState = obs.state;
          interval.reset();
        }
        await options.onPoll?.(obs);
        if (isTerminalJobState(obs.state)) return { observation: obs, attemptNumber: attempt.number };
      }
      // Sleep in slices so heartbeats stay well inside the heartbeat timeout whatever the poll interval.
      const wait = interval.next();
      for (let waited = 0; waited < wait; waited += HEARTBEAT_EVERY_MS) {
        beat({ backendJobId: handle.backendJobId });
        await ctx.sleep(Math.min(HEARTBEAT_EVERY_MS, wait - waited));
      }
    }
  } catch (error) {
    if (workflowAskedToCancel(ctx)) {
      await backend.cancel(handle);
      const final = await backend.status(handle);
      // A job that ended on its own before the cancel keeps its own outcome.
      const ended = final.kind === 'state' && isTerminalJobState(final.state);
      await recordAttemptObservation(deps.db, attempt.id, {
        ...(final.kind === 'state' ? observationRecord(final, handle, usage) : {}),
        state: ended ? final.state : 'CANCELLED',
        detail: ended ? (final.detail ?? null) : 'cancelled by request',
      });
      deps.log('info', 'cancelled job', { jobId: job.id, backendJobId: handle.backendJobId });
    } else if (error instanceof CancelledFailure) {
      // Worker shutdown, heartbeat timeout, reset: the job keeps running and the next attempt of this
      // activity adopts it. Cancelling here would turn a routine restart into a failed arm.
      deps.log('info', 'activity interrupted; leaving the job running for the next worker', { jobId: job.id, reason: error.message });
    }
    throw asActivityFailure(error);
  }
}

/**
 * Submits, heartbeating while the backend settles the launch. A backend that cannot be reached is
 * waited out inside the activity (recorded on the attempt, retried every poll interval): it never uses
 * up the activity's retries, and nothing is submitted until the backend can say what it holds.
 */
async function submitWhenReachable<T>(deps: ActivityDeps, backend: Backend, attempt: AttemptRow, submit: () => Promise<T>): Promise<T> {
  const ctx = Context.current();
  const beat = () => ctx.heartbeat({ attempt: attempt.number, idempotencyKey: attempt.idempotencyKey, submitting: true } satisfies AttemptHeartbeat);
  let unreachable = false;
  for (;;) {
    const submitting = setInterval(beat, HEARTBEAT_EVERY_MS);
    try {
      const result = await submit();
      if (unreachable) await recordReachability(deps.db, attempt.id, null);
      return result;
    } catch (error) {
      if (!(error instanceof BackendUnreachableError)) throw asActivityFailure(error);
      if (!unreachable) {
        deps.log('warn', `backend ${backend.kind} unreachable; waiting to submit`, { jobId: attempt.jobId, detail: error.message });
        await recordReachability(deps.db, attempt.id, { detail: error.message });
        unreachable = true;
      }
    } finally {
      clearInterval(submitting);
    }
    beat();
    await ctx.sleep(Math.max(deps.pollIntervalMs, 1000));
  }
}

/** The backend job id a previous run of this activity recorded for the same attempt, if any. */
function rememberedBackendJob(details: unknown, attemptNumber: number, key: string): string | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const d = details as Partial<AttemptHeartbeat>;
  return d.attempt === attemptNumber && d.idempotencyKey === key && typeof d.backendJobId === 'string' ? d.backendJobId : undefined;
}

/**
 * The backend re-ran the job under the same id (Slurm's requeue): the attempt that was running ends
 * PREEMPTED (its time counts: it was lost to the infrastructure), and the re-run becomes the next
 * attempt, under the same key. Nothing is submitted.
 */
async function recordBackendRerun(
  deps: ActivityDeps,
  attempt: AttemptRow,
  obs: TerminalObservation,
  handle: BackendJobHandle,
  usage: Usage,
): Promise<AttemptRow> {
  const restarts = obs.restarts ?? 0;
  const endedAt = new Date();
  // The row in hand predates the observations recorded since; the start time is in the database.
  const startedAt = (await getAttempt(deps.db, attempt.id))?.startedAt ?? attempt.startedAt;
  const lost = startedAt ? seconds(startedAt.toISOString(), endedAt.toISOString()) : 0;
  await recordAttemptObservation(deps.db, attempt.id, {
    state: 'PREEMPTED',
    detail: `the backend re-ran the job under the same id (restart ${restarts}); the re-run is attempt ${attempt.number + 1}`,
    backendJobId: handle.backendJobId,
    endedAt,
    ...usageSeconds(lost, usage),
  });
  deps.log('warn', 'the backend re-ran the job; recording a new attempt', {
    jobId: attempt.jobId,
    backendJobId: handle.backendJobId,
    attempt: attempt.number + 1,
    restarts,
  });
  return await ensureAttempt(deps.db, {
    id: derivedId('attempt', attempt.jobId, String(attempt.number + 1)),
    jobId: attempt.jobId,
    number: attempt.number + 1,
    idempotencyKey: attempt.idempotencyKey,
    backendJobId: handle.backendJobId,
    backendRestarts: restarts,
  });
}

interface Usage {
  gpus: number;
  cpus: number;
}

function seconds(startedAt: string, endedAt: string | undefined): number {
  const end = endedAt ? Date.parse(endedAt) : Date.now();
  return Math.max(0, (end - Date.parse(startedAt)) / 1000);
}

function usageSeconds(wall: number, usage: Usage) {
  return { gpuSeconds: wall * usage.gpus, cpuSeconds: wall * usage.cpus, resourceSeconds: wall * (usage.gpus > 0 ? usage.gpus : usage.cpus) };
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

function observationRecord(obs: TerminalObservation, handle: BackendJobHandle, usage: Usage) {
  return {
    state: obs.state,
    detail: obs.detail ?? null,
    backendJobId: handle.backendJobId,
    ...(obs.exitCode !== undefined ? { exitCode: obs.exitCode } : {}),
    ...(obs.startedAt ? { startedAt: new Date(obs.startedAt) } : {}),
    ...(obs.endedAt ? { endedAt: new Date(obs.endedAt) } : {}),
    ...(obs.startedAt ? usageSeconds(seconds(obs.startedAt, obs.endedAt), usage) : {}),
  };
}

export function failureMessage(what: string, obs: TerminalObservation): string {
  const tail = obs.logTail && obs.logTail.length > 0 ? `\n--- last log lines ---\n${obs.logTail.join('\n')}` : '';
  return `${what} ended ${obs.state}${obs.exitCode !== undefined ? ` (exit code ${obs.exitCode})` : ''}${obs.detail ? `: ${obs.detail}` : ''}${tail}`;
}
