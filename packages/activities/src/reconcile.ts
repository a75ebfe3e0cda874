import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Backend, BackendJobHandle } from '@ballast/backends';
import {
  attemptByKey,
  getArm,
  getExperiment,
  latestAttempt,
  listOpenAttempts,
  recordAttemptObservation,
  recordReconciliationRun,
  type JobRow,
} from '@ballast/db';
import { isTerminalJobState, type ReconciliationFinding } from '@ballast/schema';
import type { ReconciliationSummary } from '@ballast/workflow-contract';
import { observationRecord } from './attempt-usage.js';
import type { ActivityDeps } from './deps.js';


interface BackendSummary {
  listed: number;
  checked: number;
  unreachable: string | null;
}

/**
 * One reconciliation pass (run by the `ballast-reconcile` schedule): lists Ballast's jobs on each
 * backend and compares them with the database and the workflows.
 * - A job still running whose experiment workflow is closed, or whose attempt a later attempt
 *   superseded, is an orphan: it is cancelled.
 * - An open attempt its backend answers for but no longer knows is marked LOST; one whose job ended
 *   while no workflow follows it gets the backend's final state.
 * - A Ballast-named job the database does not know is reported, not touched (another installation may
 *   share the cluster).
 * An unreachable backend is reported and skipped: nothing is concluded from silence.
 */
export async function reconcileBackends(deps: ActivityDeps): Promise<ReconciliationSummary> {
  const ctx = Context.current();
  const startedAt = new Date();
  const findings: ReconciliationFinding[] = [];
  const summaries: Record<string, BackendSummary> = {};
  const reachable = new Set<string>();
  const closedReasons = new Map<string, Promise<string | null>>();
  const closedReason = (job: JobRow) => {
    let known = closedReasons.get(job.armId);
    if (!known) {
      known = experimentWorkflowClosed(deps, job);
      closedReasons.set(job.armId, known);
    }
    return known;
  };

  for (const [name, backend] of Object.entries(deps.backends)) {
    const summary: BackendSummary = { listed: 0, checked: 0, unreachable: null };
    summaries[name] = summary;
    let handles: BackendJobHandle[];
    try {
      handles = await backend.listOwned();
    } catch (error) {
      summary.unreachable = message(error);
      continue;
    }
    reachable.add(name);
    summary.listed = handles.length;
    for (const handle of handles) {
      ctx.heartbeat({ backend: name, key: handle.idempotencyKey });
      const obs = await backend.status(handle);
      if (obs.kind === 'unreachable') {
        findings.push(finding(name, handle, null, 'unreachable', obs.detail));
        continue;
      }
      if (isTerminalJobState(obs.state)) continue;
      summary.checked += 1;
      const tracked = await attemptByKey(deps.db, handle.idempotencyKey);
      if (!tracked) {
        findings.push(finding(name, handle, null, 'untracked', `the database has no attempt under key ${handle.idempotencyKey}; left alone`));
        continue;
      }
      const latest = await latestAttempt(deps.db, tracked.job.id);
      const why =
        latest && latest.idempotencyKey !== handle.idempotencyKey
          ? `superseded by attempt ${latest.number}`
          : await closedReason(tracked.job);
      if (!why) continue;
      findings.push(await cancelOrphan(deps, backend, handle, tracked.attempt.id, tracked.job.id, why));
    }
  }

  for (const open of await listOpenAttempts(deps.db)) {
    const { attempt, job } = open;
    const backend = deps.backends[job.backend];
    // Not yet submitted (backend job id unknown), or its backend cannot be asked: nothing to conclude.
    if (!backend || !reachable.has(job.backend) || !attempt.backendJobId) continue;
    ctx.heartbeat({ backend: job.backend, key: attempt.idempotencyKey });
    const handle = { backend: backend.kind, backendJobId: attempt.backendJobId, idempotencyKey: attempt.idempotencyKey };
    const obs = await backend.status(handle);
    if (obs.kind === 'unreachable') {
      // The listing answered but this job's status did not: reported, concluded on a later pass.
      findings.push({ ...finding(job.backend, handle, job.id, 'unreachable', obs.detail), attemptId: attempt.id });
      continue;
    }
    if (!isTerminalJobState(obs.state)) continue;
    const lost = obs.state === 'LOST';
    // A job that ended while its workflow runs is its own activity's to record; once the workflow is
    // closed no one else will, and the attempt would read RUNNING (and accrue GPU-hours) for ever.
    const unfollowed = lost ? null : await closedReason(job);
    if (!lost && !unfollowed) continue;
    const detail = lost ? (obs.detail ?? 'the backend no longer knows this job') : `the backend reports ${obs.state}${obs.detail ? ` (${obs.detail})` : ''}; ${unfollowed}`;
    // Conditional: the attempt's own activity may have recorded an outcome since the listing.
    const recorded = await recordAttemptObservation(
      deps.db,
      attempt.id,
      { ...observationRecord(obs, handle, { gpus: job.gpus, cpus: job.cpus }, attempt.startedAt?.toISOString()), detail: `reconciliation: ${detail}` },
      { onlyIfOpen: true },
    );
    if (!recorded) continue;
    findings.push({ ...finding(job.backend, handle, job.id, lost ? 'marked_lost' : 'final_state_recorded', detail), attemptId: attempt.id });
  }

  const run = await recordReconciliationRun(deps.db, { startedAt, findings, backends: summaries });
  for (const f of findings) deps.log('warn', `reconciliation: ${f.action}`, { ...f });
  deps.log('info', 'reconciliation finished', { runId: run.id, findings: findings.length, backends: summaries });
  return {
    runId: run.id,
    findings: findings.length,
    orphansCancelled: findings.filter((f) => f.action === 'orphan_cancelled').length,
    markedLost: findings.filter((f) => f.action === 'marked_lost').length,
    finalStatesRecorded: findings.filter((f) => f.action === 'final_state_recorded').length,
  };
}

/** Null while the job's experiment workflow runs; otherwise why the job has no one to follow it. */
async function experimentWorkflowClosed(deps: ActivityDeps, job: JobRow): Promise<string | null> {
  const arm = await getArm(deps.db, job.armId);
  const experiment = arm ? await getExperiment(deps.db, arm.experimentId) : null;
  if (!experiment) return `its experiment is not in the database`;
  try {
    const description = await deps.temporal.workflow.getHandle(experiment.workflowId).describe();
    return description.status.name === 'RUNNING' ? null : `its experiment workflow ${experiment.workflowId} is ${description.status.name}`;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return `its experiment workflow ${experiment.workflowId} does not exist`;
    throw error;
  }
}

async function cancelOrphan(
  deps: ActivityDeps,
  backend: Backend,
  handle: BackendJobHandle,
  attemptId: string,
  jobId: string,
  why: string,
): Promise<ReconciliationFinding> {
  try {
    await backend.cancel(handle);
  } catch (error) {
    return { ...finding(backend.kind, handle, jobId, 'orphan_cancel_failed', `${why}; cancel failed: ${message(error)}`), attemptId };
  }
  const final = await backend.status(handle);
  // An attempt already closed (PREEMPTED, superseded) keeps its outcome.
  await recordAttemptObservation(
    deps.db,
    attemptId,
    {
      state: final.kind === 'state' && isTerminalJobState(final.state) && final.state !== 'LOST' ? final.state : 'CANCELLED',
      detail: `orphan cancelled by reconciliation: ${why}`,
    },
    { onlyIfOpen: true },
  );
  return { ...finding(backend.kind, handle, jobId, 'orphan_cancelled', why), attemptId };
}

function finding(
  backend: string,
  handle: Pick<BackendJobHandle, 'backendJobId' | 'idempotencyKey'>,
  jobId: string | null,
  action: ReconciliationFinding['action'],
  detail: string,
): ReconciliationFinding {
  return { backend, backendJobId: handle.backendJobId, idempotencyKey: handle.idempotencyKey, jobId, attemptId: null, action, detail };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
