import type { Backend, BackendJobHandle } from '@ballast/backends';
import type { TerminalObservation } from './attempt-usage.js';

/** How many of a failed job's last log lines its error carries, and how much of them. */
export const LOG_TAIL_LINES = 20;
export const LOG_TAIL_LINE_CHARS = 300;
export const LOG_TAIL_TOTAL_CHARS = 4096;

/**
 * A failed attempt's observation with its last log lines, asked of the backend when the status did not
 * carry them (the local backend's does not). Logs that cannot be read leave the observation as it is:
 * the failure is still reported, only without its tail.
 */
export async function withLogTail(backend: Backend, handle: BackendJobHandle, obs: TerminalObservation): Promise<TerminalObservation> {
  if (obs.state === 'SUCCEEDED' || (obs.logTail && obs.logTail.length > 0)) return obs;
  const logTail = await backend.logs(handle, { tailLines: LOG_TAIL_LINES }).catch(() => []);
  return logTail.length > 0 ? { ...obs, logTail } : obs;
}

/**
 * The tail as an error carries it: the last lines, each cut to LOG_TAIL_LINE_CHARS and all of them to
 * LOG_TAIL_TOTAL_CHARS (the newest lines kept), so a program that prints megabytes on one line cannot
 * make an error of that size.
 */
export function capLogTail(lines: readonly string[]): string[] {
  const kept: string[] = [];
  let total = 0;
  for (const line of lines.slice(-LOG_TAIL_LINES).reverse()) {
    const cut = line.length > LOG_TAIL_LINE_CHARS ? `${line.slice(0, LOG_TAIL_LINE_CHARS)}… (${line.length - LOG_TAIL_LINE_CHARS} more characters)` : line;
    if (total + cut.length + 1 > LOG_TAIL_TOTAL_CHARS) break;
    kept.push(cut);
    total += cut.length + 1;
  }
  return kept.reverse();
}
