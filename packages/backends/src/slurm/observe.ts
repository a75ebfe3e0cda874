import type { JobState } from '@ballast/schema';
import type { BackendObservation } from '../backend.js';
import { slurmTimeToIso } from './job-record.js';
import type { SlurmJobRecord } from './job-record.js';

/** A state observation plus how often Slurm has requeued the job (its `Restarts=`), when it has. */
export type SlurmObservation = BackendObservation & { restarts?: number };

/** Lines of output attached to FAILED observations, as for the local backend. */
export const LOG_TAIL_LINES = 20;

/**
 * Slurm's job states onto Ballast's. The program's own failures (non-zero exit, time limit, memory)
 * are FAILED; the infrastructure taking the job away (node failure, boot failure, preemption) is
 * PREEMPTED; a requeued job is waiting to run again and reads QUEUED with the requeue in its detail.
 */
const STATE_MAP: Record<string, { state: JobState; detail?: string }> = {
  PENDING: { state: 'QUEUED' },
  CONFIGURING: { state: 'QUEUED', detail: 'nodes are being configured' },
  RESV_DEL_HOLD: { state: 'QUEUED', detail: 'held after its reservation was deleted' },
  REQUEUED: { state: 'QUEUED', detail: 'requeued by Slurm' },
  REQUEUE_HOLD: { state: 'QUEUED', detail: 'requeued by Slurm and held' },
  REQUEUE_FED: { state: 'QUEUED', detail: 'requeued by the federation' },
  SPECIAL_EXIT: { state: 'QUEUED', detail: 'requeued and held after a special exit' },
  RUNNING: { state: 'RUNNING' },
  COMPLETING: { state: 'RUNNING', detail: 'completing' },
  SUSPENDED: { state: 'RUNNING', detail: 'suspended' },
  STOPPED: { state: 'RUNNING', detail: 'stopped' },
  SIGNALING: { state: 'RUNNING', detail: 'signaling' },
  STAGE_OUT: { state: 'RUNNING', detail: 'staging out' },
  RESIZING: { state: 'RUNNING', detail: 'resizing' },
  COMPLETED: { state: 'SUCCEEDED' },
  FAILED: { state: 'FAILED' },
  TIMEOUT: { state: 'FAILED', detail: 'reached its time limit' },
  DEADLINE: { state: 'FAILED', detail: 'reached its deadline' },
  OUT_OF_MEMORY: { state: 'FAILED', detail: 'ran out of memory' },
  NODE_FAIL: { state: 'PREEMPTED', detail: 'its node failed' },
  BOOT_FAIL: { state: 'PREEMPTED', detail: 'its node failed to boot' },
  PREEMPTED: { state: 'PREEMPTED', detail: 'preempted by Slurm' },
  CANCELLED: { state: 'CANCELLED' },
  REVOKED: { state: 'CANCELLED', detail: 'revoked by the federation' },
};

const TERMINAL: readonly JobState[] = ['SUCCEEDED', 'FAILED', 'PREEMPTED', 'CANCELLED', 'LOST'];

/** `a:b` → exit status a, signal b. */
function parseExitCode(value: string | undefined): { status: number; signal: number } | undefined {
  const match = value ? /^(\d+):(\d+)$/.exec(value) : null;
  return match ? { status: Number(match[1]), signal: Number(match[2]) } : undefined;
}

export async function observeRecord(record: SlurmJobRecord, logTail: () => Promise<string[]>): Promise<SlurmObservation> {
  // scontrol prints flags after the base state on some versions (e.g. `CANCELLED+`); the base decides.
  const slurmState = record.state.replace(/[^A-Z_].*$/, '');
  const mapped = STATE_MAP[slurmState] ?? { state: 'QUEUED' as const, detail: `unrecognised Slurm state ${slurmState}` };
  const state = mapped.state;
  const notes: string[] = [];
  if (mapped.detail) notes.push(mapped.detail);
  const restarts = record.restarts ?? 0;
  if (restarts > 0 && (state === 'QUEUED' || state === 'RUNNING')) notes.push(`requeued ${restarts} time(s)`);
  if (state === 'QUEUED' && record.reason && record.reason !== 'None') notes.push(`reason: ${record.reason}`);

  const exit = parseExitCode(record.exitCode);
  const terminal = TERMINAL.includes(state);
  const exitCode = terminal && exit && exit.signal === 0 ? { exitCode: exit.status } : {};
  if (state === 'FAILED' && exit) {
    notes.push(exit.signal !== 0 ? `killed by signal ${exit.signal}` : `exited with code ${exit.status}`);
  }
  const startedAt = state === 'QUEUED' ? undefined : slurmTimeToIso(record.startTime);
  const endedAt = terminal ? slurmTimeToIso(record.endTime) : undefined;
  return {
    kind: 'state',
    state,
    ...exitCode,
    ...(notes.length > 0 ? { detail: notes.join('; ') } : {}),
    ...(state === 'FAILED' ? { logTail: await logTail() } : {}),
    ...(startedAt ? { startedAt } : {}),
    ...(endedAt ? { endedAt } : {}),
    ...(restarts > 0 ? { restarts } : {}),
  };
}

export function isTerminal(observation: BackendObservation): boolean {
  return observation.kind === 'state' && TERMINAL.includes(observation.state);
}
