import { Context, CancelledFailure } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Backend, BackendJobHandle, SlurmSubmitRequest } from '@ballast/backends';
import { ensureAttempt, recordAttemptObservation, recordBackendRerun, recordReachability, type AttemptRow, type JobRow } from '@ballast/db';
import { attemptKey, isTerminalJobState, type JobState } from '@ballast/schema';
import { asActivityFailure, heartbeating, HEARTBEAT_EVERY_MS, whenReachable } from './backend-calls.js';
import type { ActivityDeps } from './deps.js';
import { observationRecord, seconds, usageSeconds, type TerminalObservation, type Usage } from './attempt-usage.js';
import { derivedId } from './hashing.js';
import { capLogTail, withLogTail } from './log-tail.js';
import { PollBackoff } from './poll-backoff.js';

export interface RunAttemptOptions {
  readonly job: JobRow;
  readonly attemptNumber: number;
  /** A Slurm request may ask for a Ray cluster across its allocation (`distributed`); other backends refuse it. */
  readonly request: Omit<SlurmSubmitRequest, 'idempotencyKey' | 'jobId' | 'attemptId'>;
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
 * Polls with heartbeats (kept up during every backend call, however slow) and backoff, recording each
 * state transition and each loss of contact. When the backend re-runs the job itself (Slurm's requeue
 * keeps the job id), the attempt ends PREEMPTED and a new one is recorded under the same key without
 * submitting anything. A cancel the workflow requested cancels the backend job and waits until it is
 * terminal. An unreachable backend is waited out, never taken for a failure.
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
  let handle: BackendJobHandle | undefined;
  const beat = () =>
    ctx.heartbeat({
      attempt: attempt.number,
      idempotencyKey: key,
      ...(handle ? { backendJobId: handle.backendJobId } : { submitting: true }),
    } satisfies AttemptHeartbeat);
  const usage = { gpus: job.gpus, cpus: job.cpus };
  // When the attempt began on the backend, for charging its time when a later observation lacks it.
  let startedAt = attempt.startedAt?.toISOString();
  try {
    const remembered = rememberedBackendJob(ctx.info.heartbeatDetails, attempt.number, key) ?? attempt.backendJobId;
    if (remembered) {
      handle = { backend: backend.kind, backendJobId: remembered, idempotencyKey: key };
      deps.log('info', 'resuming the tracking of a submitted job', { jobId: job.id, attempt: attempt.number, backendJobId: remembered });
    } else {
      const submitted = await whenReachable(deps, beat, { jobId: job.id, attemptId: attempt.id }, () =>
        backend.submit({ ...options.request, idempotencyKey: key, jobId: job.id, attemptId: attempt.id }),
      );
      handle = submitted.handle;
      deps.log('info', submitted.adopted ? 'adopted a job already submitted under this key' : 'submitted job', {
        jobId: job.id,
        attempt: attempt.number,
        backendJobId: handle.backendJobId,
      });
    }
    beat();
    const tracked = handle;
    let lastState: JobState | null = null;
    let unreachable = false;
    const interval = new PollBackoff(deps.pollIntervalMs);
    for (;;) {
      const obs = await heartbeating(beat, () => backend.status(tracked));
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
          attempt = await recordRerun(deps, attempt, startedAt, obs, tracked, usage);
          startedAt = undefined;
          lastState = null;
        }
        if (obs.startedAt) startedAt = obs.startedAt;
        if (obs.state !== lastState || isTerminalJobState(obs.state)) {
          await recordAttemptObservation(deps.db, attempt.id, observationRecord(obs, tracked, usage, startedAt));
          lastState = obs.state;
          interval.reset();
        }
        await heartbeating(beat, async () => await options.onPoll?.(obs));
        if (isTerminalJobState(obs.state)) {
          return { observation: await heartbeating(beat, () => withLogTail(backend, tracked, obs)), attemptNumber: attempt.number };
        }
      }
      // Sleep in slices so heartbeats stay well inside the heartbeat timeout whatever the poll interval.
      const wait = interval.next();
      for (let waited = 0; waited < wait; waited += HEARTBEAT_EVERY_MS) {
        beat();
        await ctx.sleep(Math.min(HEARTBEAT_EVERY_MS, wait - waited));
      }
    }
  } catch (error) {
    if (workflowAskedToCancel(ctx)) {
      await cancelOnRequest(deps, backend, beat, attempt, key, handle, usage, startedAt);
    } else if (error instanceof CancelledFailure) {
      // Worker shutdown, heartbeat timeout, a retry that replaced this run, a closed workflow: the job
      // keeps running. The next run of this activity adopts it, and reconciliation cancels it if no one
      // will. Cancelling here would turn a routine restart into a failed arm.
      deps.log('info', 'activity interrupted; leaving the job running', { jobId: job.id, reason: error.message });
    }
    throw asActivityFailure(error);
  }
}

/**
 * The workflow asked to cancel: cancel the backend job (found by key when the submit had not returned
 * yet), wait until it is terminal, and record how it ended. A job that ended on its own before the
 * cancel keeps its own outcome.
 */
async function cancelOnRequest(
  deps: ActivityDeps,
  backend: Backend,
  beat: () => void,
  attempt: AttemptRow,
  key: string,
  known: BackendJobHandle | undefined,
  usage: Usage,
  startedAt: string | undefined,
): Promise<void> {
  const handle = known ?? (await heartbeating(beat, () => backend.findByKey(key)));
  if (!handle) {
    await recordAttemptObservation(deps.db, attempt.id, { state: 'CANCELLED', detail: 'cancelled by request before it was submitted' });
    return;
  }
  await heartbeating(beat, () => backend.cancel(handle));
  const final = await heartbeating(beat, () => backend.status(handle));
  const ended = final.kind === 'state' && isTerminalJobState(final.state);
  await recordAttemptObservation(deps.db, attempt.id, {
    ...(final.kind === 'state' ? observationRecord(final, handle, usage, startedAt) : {}),
    state: ended ? final.state : 'CANCELLED',
    detail: ended ? (final.detail ?? null) : 'cancelled by request',
  });
  deps.log('info', 'cancelled job', { jobId: attempt.jobId, backendJobId: handle.backendJobId });
}

/** The backend job id a previous run of this activity recorded for the same attempt, if any. */
function rememberedBackendJob(details: unknown, attemptNumber: number, key: string): string | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const d = details as Partial<AttemptHeartbeat>;
  return d.attempt === attemptNumber && d.idempotencyKey === key && typeof d.backendJobId === 'string' ? d.backendJobId : undefined;
}

/**
 * The backend re-ran the job under the same id (Slurm's requeue): the attempt that was running ends
 * PREEMPTED (its time counts: it was lost to the infrastructure, up to the re-run's start when that is
 * known) and the re-run becomes the next attempt, under the same key, in one transaction. Nothing is
 * submitted.
 */
async function recordRerun(
  deps: ActivityDeps,
  attempt: AttemptRow,
  startedAt: string | undefined,
  obs: TerminalObservation,
  handle: BackendJobHandle,
  usage: Usage,
): Promise<AttemptRow> {
  const restarts = obs.restarts ?? 0;
  const now = Date.now();
  const rerunStart = obs.state === 'RUNNING' && obs.startedAt ? Date.parse(obs.startedAt) : NaN;
  const began = startedAt ? Date.parse(startedAt) : NaN;
  const endedAt = new Date(Number.isFinite(rerunStart) && rerunStart > began && rerunStart < now ? rerunStart : now);
  const lost = startedAt ? seconds(startedAt, endedAt.toISOString()) : 0;
  deps.log('warn', 'the backend re-ran the job; recording a new attempt', {
    jobId: attempt.jobId,
    backendJobId: handle.backendJobId,
    attempt: attempt.number + 1,
    restarts,
  });
  return await recordBackendRerun(
    deps.db,
    attempt.id,
    {
      state: 'PREEMPTED',
      detail: `the backend re-ran the job under the same id (restart ${restarts}); the re-run is attempt ${attempt.number + 1}`,
      backendJobId: handle.backendJobId,
      endedAt,
      ...usageSeconds(lost, usage),
    },
    {
      id: derivedId('attempt', attempt.jobId, String(attempt.number + 1)),
      jobId: attempt.jobId,
      number: attempt.number + 1,
      idempotencyKey: attempt.idempotencyKey,
      backendJobId: handle.backendJobId,
      backendRestarts: restarts,
    },
  );
}

/**
 * True only when the workflow requested cancellation. Not for a worker shutdown, a timeout, or
 * `notFound`: the server also answers that to a run of this activity that a retry has replaced, and
 * cancelling then would kill the job the retry is following. A job whose workflow is gone is an orphan,
 * for reconciliation to cancel.
 */
function workflowAskedToCancel(ctx: Context): boolean {
  return ctx.cancellationDetails?.cancelRequested ?? false;
}

/** "training job … ended FAILED (exit code 2): detail", then the job's last log lines (capped). */
export function failureMessage(what: string, obs: TerminalObservation): string {
  const lines = capLogTail(obs.logTail ?? []);
  const tail = lines.length > 0 ? `\n--- last log lines ---\n${lines.join('\n')}` : '';
  return `${what} ended ${obs.state}${obs.exitCode !== undefined ? ` (exit code ${obs.exitCode})` : ''}${obs.detail ? `: ${obs.detail}` : ''}${tail}`;
}
