import { setTimeout as sleep } from 'node:timers/promises';
import { CancelIncompleteError } from '../errors.js';
import { liveGroupMembers, readProcStat, signalGroup } from './proc.js';

const POLL_MS = 50;
/** How long to wait for SIGKILLed processes to disappear before declaring the cancel incomplete. */
const KILL_WAIT_MS = 5_000;

/**
 * Whether process group `pgid` still belongs to the runner that started at `startTime`. While the leader
 * lives, its start time decides (pid reuse). Once it is gone, Linux does not hand its pid out again while
 * the group id is in use, so any live members are the job's orphans.
 */
async function groupIsOurs(pgid: number, startTime: string): Promise<boolean> {
  const leader = await readProcStat(pgid);
  if (leader && leader.state !== 'Z') return leader.startTime === startTime;
  return true;
}

async function waitForEmptyGroup(pgid: number, timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const members = await liveGroupMembers(pgid);
    if (members.length === 0 || Date.now() >= deadline) return members;
    await sleep(POLL_MS);
  }
}

/**
 * SIGTERM to the whole group, up to `graceMs` for it to exit, then SIGKILL. Returns once no live process
 * of the group remains; throws if some survive SIGKILL.
 */
export async function terminateGroup(jobId: string, pgid: number, startTime: string, graceMs: number): Promise<void> {
  if (!(await groupIsOurs(pgid, startTime))) return;
  if ((await liveGroupMembers(pgid)).length === 0) return;
  if (!signalGroup(pgid, 'SIGTERM')) return;
  if ((await waitForEmptyGroup(pgid, graceMs)).length === 0) return;
  if (!(await groupIsOurs(pgid, startTime))) return;
  signalGroup(pgid, 'SIGKILL');
  const survivors = await waitForEmptyGroup(pgid, KILL_WAIT_MS);
  if (survivors.length > 0) throw new CancelIncompleteError(jobId, survivors);
}
