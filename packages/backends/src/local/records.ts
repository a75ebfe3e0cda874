import { CorruptBackendStateError } from '../errors.js';
import { readJsonFile } from '../json-files.js';

/** `claims/<jobId>.json`: the exactly-once token for one idempotency key. */
export interface ClaimRecord {
  version: 1;
  backendJobId: string;
  idempotencyKey: string;
  jobId: string;
  attemptId: string;
  /** Identifies this launch attempt; a takeover creates a new claim with a new launch id. */
  launchId: string;
  claimedAt: string;
  claimant: { pid: number; hostname: string };
  /** Filled in once the runner is known to have started. */
  runner?: { pid: number; startTime: string };
}

/** `jobs/<id>/launch-<launchId>.json`: what the runner executes. */
export interface LaunchSpec {
  launchId: string;
  command: string[];
  env: Record<string, string>;
  cwd: string;
}

/** `jobs/<id>/launch-<launchId>.decision.json`. */
export interface LaunchDecision {
  decision: 'started' | 'abandoned';
  by: number;
  at: string;
}

/** `jobs/<id>/runner.json`, written by the runner before it starts the command. */
export interface RunnerRecord {
  launchId: string;
  pid: number;
  startTime: string;
  startedAt: string;
}

/** `jobs/<id>/exit.json`, written by the runner when the command has ended (or could not start). */
export interface ExitRecord {
  exitCode: number | null;
  signal: string | null;
  endedAt: string;
  /** Why the command never ran (spawn error, cancelled before start). */
  error?: string;
}

/** `jobs/<id>/cancel.json`: written before any signal is sent, so a killed job reads as CANCELLED. */
export interface CancelMarker {
  requestedAt: string;
}

/** Reads a record this package wrote; checks only the fields whose absence would mislead a reader. */
async function readRecord<T>(path: string, required: readonly string[]): Promise<T | null> {
  const value = await readJsonFile(path);
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw new CorruptBackendStateError(path, 'not an object');
  for (const field of required) {
    if (!(field in value)) throw new CorruptBackendStateError(path, `missing ${field}`);
  }
  return value as T;
}

export const readClaim = (path: string) =>
  readRecord<ClaimRecord>(path, ['backendJobId', 'idempotencyKey', 'launchId', 'claimedAt']);
export const readLaunchSpec = (path: string) => readRecord<LaunchSpec>(path, ['launchId', 'command', 'env', 'cwd']);
export const readDecision = (path: string) => readRecord<LaunchDecision>(path, ['decision']);
export const readRunner = (path: string) => readRecord<RunnerRecord>(path, ['launchId', 'pid', 'startTime', 'startedAt']);
export const readExit = (path: string) => readRecord<ExitRecord>(path, ['exitCode', 'signal', 'endedAt']);
export const readCancel = (path: string) => readRecord<CancelMarker>(path, ['requestedAt']);
