import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { processStartTime } from './proc.js';
import type { PidRecord } from './pid-file.js';

export interface DetachedSpawnOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly info?: Record<string, string | number>;
}

/**
 * Starts a service in its own session with output appended to a log file, so it outlives the process
 * that started it (a crash of `ballast up` must not take the database down with it) and can be adopted.
 * Arguments go to the program as argv: no shell ever sees them.
 */
export function spawnDetached(options: DetachedSpawnOptions): PidRecord {
  mkdirSync(dirname(options.logFile), { recursive: true, mode: 0o700 });
  const fd = openSync(options.logFile, 'a', 0o600);
  try {
    const child = spawn(options.command, [...options.args], {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: options.env ?? process.env,
      cwd: options.cwd,
      uid: options.uid,
      gid: options.gid,
      shell: false,
    });
    if (child.pid === undefined) throw new Error(`could not start ${options.command}`);
    child.unref();
    return {
      pid: child.pid,
      startTime: processStartTime(child.pid),
      startedAt: new Date().toISOString(),
      command: [options.command, ...options.args],
      info: options.info ?? {},
    };
  } finally {
    closeSync(fd);
  }
}
