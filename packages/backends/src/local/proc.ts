import { readdir, readFile } from 'node:fs/promises';

/** What /proc/<pid>/stat tells us about a process. */
export interface ProcStat {
  pid: number;
  state: string;
  pgrp: number;
  /** Field 22: start time in clock ticks since boot. With the pid, it identifies a process uniquely. */
  startTime: string;
}

/** Parses /proc/<pid>/stat; null when the process does not exist (or vanished while we looked). */
export async function readProcStat(pid: number): Promise<ProcStat | null> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return null;
    throw error;
  }
  // The command name (field 2) may itself contain spaces and ')', so split after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = rest[0];
  const pgrp = rest[2];
  const startTime = rest[19];
  if (state === undefined || pgrp === undefined || startTime === undefined) return null;
  return { pid, state, pgrp: Number(pgrp), startTime };
}

/**
 * True when `pid` is a live process that started at `startTime`. Comparing the start time defeats pid
 * reuse; zombies count as dead because they have already exited.
 */
export async function isSameProcessAlive(pid: number, startTime: string): Promise<boolean> {
  const stat = await readProcStat(pid);
  return stat !== null && stat.state !== 'Z' && stat.startTime === startTime;
}

/**
 * Pids of live (non-zombie) processes in process group `pgid`. Scanning /proc rather than probing with
 * kill(-pgid, 0) matters because orphaned zombies, which an init that does not reap leaves behind, would
 * otherwise make a dead group look alive.
 */
export async function liveGroupMembers(pgid: number): Promise<number[]> {
  const members: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readProcStat(Number(name));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z') members.push(stat.pid);
  }
  return members;
}

/** Sends `signal` to every process of group `pgid`; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}
