import { homePaths, terminalText as t } from '@ballast/config';
import { liveProcessFromPidFile, removePidFile, terminateProcess } from '@ballast/daemon';
import { embeddedServicePidFiles } from '@ballast/server';
import type { CliContext } from '../context.js';

const SERVER_ROLES = ['all', 'api', 'worker'] as const;

// A server stops its API, its worker (which waits for running activities) and the embedded services
// on SIGTERM; it gets this long before SIGKILL, after which its orphans are stopped here.
const SERVER_GRACE_MS = 60_000;
const SERVICE_GRACE_MS = 30_000;

/**
 * `ballast down`: stops what `ballast up` started for this BALLAST_HOME. First any live server (it
 * stops its own services), then embedded Temporal and PostgreSQL left running by an `up` that was
 * killed (SIGKILL leaves them orphaned; their pid files name them). Running training jobs are left
 * alone: the next `ballast up` adopts them. Exits 0 also when nothing was running.
 */
export async function downCommand(ctx: CliContext): Promise<void> {
  const paths = homePaths(ctx.config);
  const stopped: string[] = [];
  for (const role of SERVER_ROLES) {
    const pidFile = paths.serverPidFile(role);
    const server = liveProcessFromPidFile(pidFile);
    if (!server || server.pid === process.pid) continue;
    await terminateProcess(server.pid, server.startTime, { signal: 'SIGTERM', graceMs: SERVER_GRACE_MS });
    removePidFile(pidFile);
    stopped.push(`Ballast server (${role}, pid ${server.pid})`);
  }
  for (const service of embeddedServicePidFiles(ctx.config)) {
    const proc = liveProcessFromPidFile(service.pidFile);
    if (!proc) continue;
    await terminateProcess(proc.pid, proc.startTime, { signal: service.signal, graceMs: SERVICE_GRACE_MS });
    removePidFile(service.pidFile);
    stopped.push(`${service.service} (pid ${proc.pid})`);
  }
  if (stopped.length === 0) ctx.out(`nothing was running for ${t(ctx.config.home)}`);
  else ctx.out(`stopped, for ${t(ctx.config.home)}:\n${stopped.map((s) => `  ${s}`).join('\n')}`);
}
