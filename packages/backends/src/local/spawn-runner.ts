import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { LocalLayout } from './layout.js';

/** dist/runner.js, next to this package's compiled sources. */
export const RUNNER_PATH = fileURLToPath(new URL('../runner.js', import.meta.url));

/**
 * Starts the runner for one launch: detached (own session and process group, so cancel can signal the
 * whole tree and the job survives the worker), stdio appended to the job's output.log, and unref'd so the
 * worker can exit while the job runs. The launch spec must already be on disk.
 */
export interface SpawnedRunner {
  child: ChildProcess;
  /** Settles when the runner process ends or could not be spawned at all. */
  ended: Promise<{ error?: Error; code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Niceness of local jobs (and of everything they start, which inherits it). Jobs on the local backend
 * share the host with the control plane (API, worker, Temporal, PostgreSQL); at equal priority a few
 * CPU-bound jobs on a small machine delay the worker's heartbeats past their timeouts and its quick
 * activities behind them. Niced, the jobs still get every idle cycle.
 */
export const LOCAL_JOB_NICENESS = 10;

function lowerPriority(pid: number): void {
  try {
    setPriority(pid, LOCAL_JOB_NICENESS);
  } catch {
    // The runner may already have exited (a job that ends at once); there is nothing left to lower.
  }
}

export async function spawnRunner(layout: LocalLayout, jobId: string, launchId: string): Promise<SpawnedRunner> {
  await mkdir(layout.jobDir(jobId), { recursive: true, mode: 0o700 });
  // Append: an abandoned launch and the one that replaced it share the log, and nothing may truncate it.
  const log = await open(layout.outputLog(jobId), 'a', 0o600);
  try {
    const child = spawn(process.execPath, [RUNNER_PATH, layout.stateDir, jobId, launchId], {
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
      // The runner needs nothing from the worker's environment; the job's own env is in the launch spec.
      env: {},
      cwd: layout.jobDir(jobId),
      shell: false,
    });
    // Listen at once: a spawn failure is emitted as 'error' and would crash the worker if nobody listened.
    const ended = new Promise<{ error?: Error; code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('error', (error) => resolve({ error, code: null, signal: null }));
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    if (child.pid !== undefined) lowerPriority(child.pid);
    child.unref();
    return { child, ended };
  } finally {
    await log.close();
  }
}
