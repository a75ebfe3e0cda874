import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** What /proc/<pid>/stat says about a process. */
export interface ProcStat {
  readonly pid: number;
  readonly state: string;
  readonly pgrp: number;
  /** Clock ticks since boot: with the pid, it names one process even after pid reuse. */
  readonly startTime: string;
}

/** /proc/<pid>/stat; null when the process does not exist. */
export async function readProcStat(pid: number): Promise<ProcStat | null> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name may hold spaces and ')': the fields after it start past the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const [state, , pgrp] = rest;
  const startTime = rest[19];
  if (state === undefined || pgrp === undefined || startTime === undefined) return null;
  return { pid, state, pgrp: Number(pgrp), startTime };
}

/** This boot's id: processes recorded under another boot are gone, whatever their pids say now. */
export async function readBootId(): Promise<string | null> {
  try {
    return (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
  } catch {
    return null;
  }
}

/** True when `pid` is a live process (not a zombie) that started at `startTime`. */
export async function isSameProcessAlive(pid: number, startTime: string): Promise<boolean> {
  const stat = await readProcStat(pid);
  return stat !== null && stat.state !== 'Z' && stat.startTime === startTime;
}

/**
 * Live members of process group `pgid`. /proc is scanned rather than probed with kill(-pgid, 0):
 * orphaned zombies that an init does not reap would make a finished group look alive.
 */
export async function liveGroupMembers(pgid: number): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir('/proc');
  } catch {
    return signalGroup(pgid, 0) ? [pgid] : [];
  }
  const members: number[] = [];
  for (const name of names) {
    if (!/^[0-9]+$/.test(name)) continue;
    const stat = await readProcStat(Number(name));
    if (stat !== null && stat.pgrp === pgid && stat.state !== 'Z') members.push(stat.pid);
  }
  return members;
}

/** Signals every process of group `pgid`; false when the group does not exist (or is not ours to signal). */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Polls `alive` until it answers an empty list or `timeoutMs` passes; returns what is still alive. */
export async function waitUntilGone(alive: () => Promise<number[]>, timeoutMs: number, intervalMs = 100): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await alive();
    if (left.length === 0 || Date.now() >= deadline) return left;
    await sleep(intervalMs);
  }
}
