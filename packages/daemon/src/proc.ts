import { readFileSync } from 'node:fs';

/**
 * The kernel's start time of a process (clock ticks since boot, field 22 of /proc/PID/stat), or null
 * when the process does not exist. Pid plus start time names a process uniquely, so a recycled pid is
 * never mistaken for the process we started.
 */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses; fields after it are plain.
    const afterComm = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = afterComm[0];
    if (state === 'Z' || state === 'X') return null;
    return afterComm[19] ?? null;
  } catch {
    return null;
  }
}

/** True when `pid` runs and, if given, started at `startTime`. */
export function isProcessAlive(pid: number, startTime?: string | null): boolean {
  const actual = processStartTime(pid);
  if (actual === null) return false;
  return startTime === undefined || startTime === null || actual === startTime;
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sends `signal` and waits until the process is gone; escalates to SIGKILL after `graceMs`. */
export async function terminateProcess(
  pid: number,
  startTime: string | null,
  options: { signal?: NodeJS.Signals; graceMs?: number } = {},
): Promise<void> {
  const { signal = 'SIGTERM', graceMs = 15_000 } = options;
  if (!isProcessAlive(pid, startTime)) return;
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid, startTime)) return;
    await sleep(100);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  while (isProcessAlive(pid, startTime)) await sleep(50);
}
