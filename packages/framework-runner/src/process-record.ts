import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '@ballast/job-contract';
import { FrameworkRunnerError } from './errors.js';
import { isSameProcessAlive, liveGroupMembers, readBootId, readProcStat, signalGroup, signalProcess, waitUntilGone } from './proc.js';

/** `OUTPUT/.framework-process.json`: which processes the latest attempt started, so the next one can stop them. */
export const PROCESS_RECORD_FILE = '.framework-process.json';

export const ProcessRecord = z.strictObject({
  recordVersion: z.literal(1),
  attemptId: z.string(),
  hostname: z.string(),
  /** Processes recorded under another boot of the same host are gone. */
  bootId: z.string().nullable(),
  /** The framework's leader process and its group (the framework runs detached, as a group of its own). */
  pid: z.number().int().positive().nullable(),
  pgid: z.number().int().positive().nullable(),
  /** The leader's /proc start time, against pid reuse. */
  startTime: z.string().nullable(),
  /** The runner itself: a runner whose launcher was killed lives on and would keep committing. */
  runner: z.strictObject({ pid: z.number().int().positive(), startTime: z.string().nullable() }),
  startedAt: z.iso.datetime(),
});
export type ProcessRecord = z.infer<typeof ProcessRecord>;

export async function readProcessRecord(outputDir: string): Promise<ProcessRecord | null> {
  let text: string;
  try {
    text = await readFile(join(outputDir, PROCESS_RECORD_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = ProcessRecord.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Records this runner, and the framework once it runs (`framework` null before the spawn). */
export async function writeProcessRecord(
  outputDir: string,
  attemptId: string,
  framework: { pid: number; startTime: string | null } | null,
): Promise<ProcessRecord> {
  const self = await readProcStat(process.pid);
  const record: ProcessRecord = {
    recordVersion: 1,
    attemptId,
    hostname: hostname(),
    bootId: await readBootId(),
    pid: framework?.pid ?? null,
    // Spawned detached, the framework leads its own group: its pid is the group id.
    pgid: framework?.pid ?? null,
    startTime: framework?.startTime ?? null,
    runner: { pid: process.pid, startTime: self?.startTime ?? null },
    startedAt: new Date().toISOString(),
  };
  await writeFileAtomic(join(outputDir, PROCESS_RECORD_FILE), `${JSON.stringify(record)}\n`);
  return record;
}

/** What became of the earlier attempt: none recorded, gone already, stopped now, or on another host (maybe still running). */
export type EarlierAttempt = 'none' | 'gone' | 'stopped' | 'unreachable';

export interface ReapOptions {
  readonly log: (line: string) => void;
  /** How long SIGTERM gets before SIGKILL. */
  readonly graceMs?: number;
  /** How long SIGKILLed processes get to disappear. */
  readonly killWaitMs?: number;
}

/**
 * Stops what an earlier attempt left running on this host: its runner (when the launcher above it was
 * killed, the runner lives on and keeps committing) and its framework's process group (detached, so a
 * SIGKILL of the runner leaves it training into the same native directory). SIGTERM, up to `graceMs`,
 * SIGKILL, then waits until they are gone. Processes on another host cannot be reached: that is logged.
 *
 * @throws FrameworkRunnerError RUNNER_EARLIER_ATTEMPT_ALIVE when some survive SIGKILL
 */
export async function stopEarlierAttempt(outputDir: string, options: ReapOptions): Promise<EarlierAttempt> {
  const { log, graceMs = 10_000, killWaitMs = 10_000 } = options;
  const record = await readProcessRecord(outputDir);
  if (record === null) return 'none';
  const what = describe(record);
  const here = hostname();
  if (record.hostname !== here) {
    log(`${what} ran on host ${record.hostname}; it cannot be stopped from ${here}: if it still runs, it writes into the same native directory`);
    return 'unreachable';
  }
  const bootId = await readBootId();
  if (record.bootId !== null && bootId !== null && record.bootId !== bootId) {
    log(`${what} ran before this host rebooted: nothing to stop`);
    return 'gone';
  }

  const alive = async (): Promise<number[]> => {
    const pids: number[] = [];
    const { runner } = record;
    if (runner.pid !== process.pid && runner.startTime !== null && (await isSameProcessAlive(runner.pid, runner.startTime))) pids.push(runner.pid);
    if (record.pgid !== null && (await groupIsRecorded(record))) pids.push(...(await liveGroupMembers(record.pgid)));
    return pids;
  };
  const signalAll = async (signal: NodeJS.Signals): Promise<void> => {
    // Identity is checked again right before signalling: a pid must not be reused between check and kill.
    const { runner } = record;
    if (runner.pid !== process.pid && runner.startTime !== null && (await isSameProcessAlive(runner.pid, runner.startTime))) signalProcess(runner.pid, signal);
    if (record.pgid !== null && (await groupIsRecorded(record))) signalGroup(record.pgid, signal);
  };

  const found = await alive();
  if (found.length === 0) {
    log(`${what} is no longer running`);
    return 'gone';
  }
  log(`${what} is still running (pids ${found.join(', ')}): sending SIGTERM`);
  await signalAll('SIGTERM');
  let left = await waitUntilGone(alive, graceMs);
  if (left.length > 0) {
    log(`pids ${left.join(', ')} are still running after ${Number((graceMs / 1000).toFixed(1))} s: sending SIGKILL`);
    await signalAll('SIGKILL');
    left = await waitUntilGone(alive, killWaitMs);
    if (left.length > 0) throw FrameworkRunnerError.earlierAttemptAlive(left);
  }
  log(`stopped ${what}`);
  return 'stopped';
}

function describe(record: ProcessRecord): string {
  const group = record.pgid === null ? 'no framework yet' : `framework process group ${record.pgid}`;
  return `the earlier attempt ${record.attemptId} (runner pid ${record.runner.pid}, ${group}, started ${record.startedAt})`;
}

/**
 * Whether the recorded group is still the framework's. While its leader lives, the start time decides;
 * once the leader is gone, Linux does not reuse its pid while the group id is in use, so members left
 * in the group are the framework's orphans.
 */
async function groupIsRecorded(record: ProcessRecord): Promise<boolean> {
  if (record.pgid === null) return false;
  const leader = await readProcStat(record.pgid);
  if (leader !== null && leader.state !== 'Z') return record.startTime === null || leader.startTime === record.startTime;
  return true;
}
