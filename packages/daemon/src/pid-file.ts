import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isProcessAlive } from './proc.js';

/** What a service's pid file records: enough to adopt the process after our own crash. */
export interface PidRecord {
  readonly pid: number;
  readonly startTime: string | null;
  readonly startedAt: string;
  readonly command: readonly string[];
  /** Service-specific facts, e.g. the port it listens on. */
  readonly info: Record<string, string | number>;
}

export function writePidFile(path: string, record: PidRecord): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(record, null, 2), { mode: 0o600 });
  renameSync(tmp, path);
}

export function readPidFile(path: string): PidRecord | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PidRecord;
  } catch {
    return null;
  }
}

/** The recorded process when it still runs; a stale file is removed and null returned. */
export function liveProcessFromPidFile(path: string): PidRecord | null {
  const record = readPidFile(path);
  if (record === null) return null;
  if (isProcessAlive(record.pid, record.startTime)) return record;
  rmSync(path, { force: true });
  return null;
}

export function removePidFile(path: string): void {
  rmSync(path, { force: true });
}
