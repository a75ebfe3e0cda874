import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { fileURLToPath } from 'node:url';
import { ensureJob, listAttemptsOfJob, type AttemptRow, type JobRow } from '@ballast/db';
import { CONTRACT_ENV, CONTRACT_VERSION, RetrySpec, type BackendSpec } from '@ballast/schema';

type ResolvedResources = Omit<BackendSpec['resources'], 'nodes'> & { nodes?: number };
import type { RayOnSlurm, SubmitRequest } from '@ballast/backends';
import { nextAttempt } from './attempt-policy.js';
import { whenReachable } from './backend-calls.js';
import type { ActivityDeps } from './deps.js';
import { derivedId } from './hashing.js';
import type { TerminalObservation } from './attempt-usage.js';
import { LOG_TAIL_LINES } from './log-tail.js';
import { backendFor, failureMessage, runAttempt } from './run-job.js';

export interface ContractJobOptions {
  readonly job: JobRow;
  /** Names the job in errors, e.g. "training job job_… (arm 'baseline')". */
  readonly description: string;
  /** The argv the backend runs (never a shell line). */
  readonly command: readonly string[];
  /** Merged over the contract's environment variables (which win). */
  readonly env?: Readonly<Record<string, string>>;
  /** Slurm only: start a Ray cluster across the allocation and run the command as its driver (multi-node verl, OpenRLHF). */
  readonly distributed?: RayOnSlurm | undefined;
  readonly specUri: string;
  readonly seed: number;
  /** Training: 'auto', so a new attempt resumes from the latest committed checkpoint. */
  readonly resumeFrom?: 'auto';
  readonly resources: SubmitRequest['resources'];
  readonly timeLimitMinutes?: number | undefined;
  /** From the experiment spec; absent in specs stored before retries existed (then the defaults). */
  readonly retries?: Partial<RetrySpec>;
  readonly onPoll?: (observation: TerminalObservation) => Promise<void>;
}

/**
 * Runs a job-contract program to success: continues the job's latest attempt (adopting it if it still
 * runs), and after a failure starts a new attempt or gives up as the retry policy says
 * (attempt-policy.ts). Before any new attempt it cancels whatever the backend still holds under earlier
 * attempts' keys, so two attempts never run at once. A final failure carries the exit code and the log
 * tail. Returns the number of the attempt that succeeded.
 */
export async function runContractJob(deps: ActivityDeps, options: ContractJobOptions): Promise<number> {
  const { job } = options;
  const retries = RetrySpec.parse(options.retries ?? {});
  let last: TerminalObservation | undefined;
  for (;;) {
    const attempts = await listAttemptsOfJob(deps.db, job.id);
    const next = nextAttempt(attempts, retries);
    if (next.kind === 'done') return next.number;
    if (next.kind === 'give-up') {
      // Nothing may go on running for a job given up on (a LOST job that reappears, a scheduler's re-run).
      await cancelEarlierAttempts(deps, job, attempts);
      const observation = last ?? (await observationOf(deps, job, attempts.find((a) => a.number === next.number)!));
      throw ApplicationFailure.nonRetryable(`${failureMessage(options.description, observation)}\n(${next.reason})`, `Job${observation.state}`);
    }
    if (next.kind === 'new' && next.number > 1) {
      deps.log('warn', 'starting a new attempt', { jobId: job.id, attempt: next.number, reason: next.reason });
      await cancelEarlierAttempts(deps, job, attempts);
    }
    const { observation, attemptNumber } = await runAttempt(deps, {
      job,
      attemptNumber: next.number,
      request: {
        command: [...options.command],
        env: {
          ...options.env,
          [CONTRACT_ENV.version]: CONTRACT_VERSION,
          [CONTRACT_ENV.jobId]: job.id,
          [CONTRACT_ENV.attemptId]: derivedId('attempt', job.id, String(next.number)),
          [CONTRACT_ENV.jobSpec]: fileURLToPath(options.specUri),
          [CONTRACT_ENV.outputDir]: job.outputDir,
          [CONTRACT_ENV.seed]: String(options.seed),
          ...(options.resumeFrom ? { [CONTRACT_ENV.resumeFrom]: options.resumeFrom } : {}),
        },
        cwd: job.outputDir,
        outputDir: job.outputDir,
        resources: options.resources,
        ...(options.timeLimitMinutes !== undefined ? { timeLimitMinutes: options.timeLimitMinutes } : {}),
        ...(options.distributed ? { distributed: options.distributed } : {}),
      },
      ...(options.onPoll ? { onPoll: options.onPoll } : {}),
    });
    if (observation.state === 'SUCCEEDED') return attemptNumber;
    last = observation;
  }
}

/**
 * Cancels, by key, whatever the backend still holds for the job's earlier attempts (a PREEMPTED job the
 * scheduler may still requeue, a LOST job that reappears). An unreachable backend is waited out
 * (heartbeating), so nothing is resubmitted next to a job Ballast cannot see, and the outage uses up
 * none of the activity's retries.
 */
async function cancelEarlierAttempts(deps: ActivityDeps, job: JobRow, attempts: readonly AttemptRow[]): Promise<void> {
  const backend = backendFor(deps, job.backend);
  const ctx = Context.current();
  const beat = () => ctx.heartbeat({ cancellingEarlierAttemptsOf: job.id });
  for (const key of new Set(attempts.map((a) => a.idempotencyKey))) {
    const handle = await whenReachable(deps, beat, { jobId: job.id }, () => backend.findByKey(key));
    if (!handle) continue;
    await whenReachable(deps, beat, { jobId: job.id }, () => backend.cancel(handle));
    deps.log('info', 'cancelled an earlier attempt by key', { jobId: job.id, key, backendJobId: handle.backendJobId });
  }
}

/** A finished attempt as an observation, for the error message when the job had already given up. */
async function observationOf(deps: ActivityDeps, job: JobRow, attempt: AttemptRow): Promise<TerminalObservation> {
  let logTail: string[] = [];
  if (attempt.backendJobId) {
    const backend = backendFor(deps, job.backend);
    logTail = await backend
      .logs({ backend: backend.kind, backendJobId: attempt.backendJobId, idempotencyKey: attempt.idempotencyKey }, { tailLines: LOG_TAIL_LINES })
      .catch(() => []);
  }
  return {
    kind: 'state',
    state: attempt.state as TerminalObservation['state'],
    ...(attempt.exitCode !== null ? { exitCode: attempt.exitCode } : {}),
    ...(attempt.detail ? { detail: attempt.detail } : {}),
    logTail,
  };
}

/**
 * The job row of a contract job (train or eval) for an arm, created once: its idempotency key is its id,
 * so a retried activity finds the row it made. Resources are totals over the job's nodes, since GPU- and
 * CPU-hours are charged per node.
 */
export async function ensureContractJob(
  deps: ActivityDeps,
  job: { id: string; armId: string; kind: 'train' | 'eval' | 'attack'; backend: BackendSpec; specUri: string; outputDir: string },
): Promise<JobRow> {
  const nodes = job.backend.resources.nodes ?? 1;
  return await ensureJob(deps.db, {
    id: job.id,
    armId: job.armId,
    kind: job.kind,
    backend: job.backend.kind,
    idempotencyKey: job.id,
    state: 'QUEUED',
    specUri: job.specUri,
    outputDir: job.outputDir,
    gpus: job.backend.resources.gpus * nodes,
    cpus: job.backend.resources.cpus * nodes,
  });
}

/** A spec's resources as a backend takes them; the time limit travels apart (SubmitRequest.timeLimitMinutes). */
export function resourcesOf(resources: ResolvedResources): SubmitRequest['resources'] {
  return {
    cpus: resources.cpus,
    gpus: resources.gpus,
    ...(resources.memoryGb !== undefined ? { memoryGb: resources.memoryGb } : {}),
    // Specs stored before `nodes` existed ran on one node.
    ...(resources.nodes !== undefined && resources.nodes !== 1 ? { nodes: resources.nodes } : {}),
  };
}
