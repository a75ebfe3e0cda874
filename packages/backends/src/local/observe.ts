import type { BackendObservation } from '../backend.js';
import { tailLines } from '../tail.js';
import type { CancelMarker, ExitRecord, RunnerRecord } from './records.js';

/** Lines of output attached to FAILED and LOST observations: enough to see the error, small enough to store. */
export const LOG_TAIL_LINES = 20;

/**
 * The state a finished job ended in. A cancel counts only if it was requested before the job ended:
 * a program that exits 0 on SIGTERM was still cancelled, one that finished before the cancel was not.
 */
export async function observeEnded(
  exit: ExitRecord,
  runner: RunnerRecord | null,
  cancel: CancelMarker | null,
  outputLog: string,
): Promise<BackendObservation> {
  const times = { ...(runner ? { startedAt: runner.startedAt } : {}), endedAt: exit.endedAt };
  const exitCode = exit.exitCode === null ? {} : { exitCode: exit.exitCode };
  const cancelledFirst = cancel !== null && Date.parse(cancel.requestedAt) <= Date.parse(exit.endedAt);
  if (cancelledFirst) {
    return { kind: 'state', state: 'CANCELLED', ...exitCode, detail: exit.error ?? 'cancelled on request', ...times };
  }
  if (exit.exitCode === 0) return { kind: 'state', state: 'SUCCEEDED', exitCode: 0, ...times };
  const detail =
    exit.error !== undefined
      ? `the command did not start: ${exit.error}`
      : exit.signal !== null
        ? `killed by ${exit.signal}`
        : `exited with code ${exit.exitCode}`;
  return {
    kind: 'state',
    state: 'FAILED',
    ...exitCode,
    detail,
    logTail: await tailLines(outputLog, LOG_TAIL_LINES),
    ...times,
  };
}
