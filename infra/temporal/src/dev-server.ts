import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import {
  PortInUseError,
  ServiceStartTimeoutError,
  isPortOpen,
  isProcessAlive,
  liveProcessFromPidFile,
  removePidFile,
  spawnDetached,
  terminateProcess,
  waitUntil,
  writePidFile,
  type PidRecord,
} from '@ballast/daemon';

export interface TemporalDevServerOptions {
  readonly cliPath: string;
  /** Directory for the server's database, log and pid file (under BALLAST_HOME). */
  readonly stateDir: string;
  readonly host: string;
  readonly port: number;
  readonly namespace: string;
  /** Custom search attributes to register, name → type (Keyword, Text, Int, …). */
  readonly searchAttributes: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
  readonly log: (line: string) => void;
}

export interface RunningTemporal {
  readonly address: string;
  readonly namespace: string;
  readonly pid: number;
  /** False when an already running server was adopted; only what we started is ours to stop. */
  readonly startedHere: boolean;
  readonly logFile: string;
  stop(): Promise<void>;
}

export function temporalPaths(stateDir: string) {
  return {
    pidFile: join(stateDir, 'temporal.pid.json'),
    dbFile: join(stateDir, 'temporal.db'),
    logFile: join(stateDir, 'temporal.log'),
  };
}

/**
 * Starts the Temporal dev server on loopback with a persisted database, or adopts the one a previous
 * `ballast up` left running. The server outlives its starter so that a crash loses nothing.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<RunningTemporal> {
  const paths = temporalPaths(options.stateDir);
  mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
  const address = `${options.host}:${options.port}`;
  const existing = liveProcessFromPidFile(paths.pidFile);
  if (existing && Number(existing.info['port']) === options.port && (await isPortOpen(options.host, options.port))) {
    options.log(`adopted the running Temporal dev server (pid ${existing.pid}) at ${address}`);
    return handle(existing, false);
  }
  if (existing) await terminateProcess(existing.pid, existing.startTime);
  if (await isPortOpen(options.host, options.port)) {
    throw new PortInUseError(options.host, options.port, 'temporal.embeddedPort (BALLAST_TEMPORAL_PORT)');
  }
  const args = [
    'server',
    'start-dev',
    '--ip',
    options.host,
    '--port',
    String(options.port),
    '--headless',
    '--db-filename',
    paths.dbFile,
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
    ...Object.entries(options.searchAttributes).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
  const record = spawnDetached({
    command: options.cliPath,
    args,
    logFile: paths.logFile,
    info: { port: options.port, host: options.host },
  });
  writePidFile(paths.pidFile, record);
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  await waitUntil(async () => await isPortOpen(options.host, options.port), {
    timeoutMs,
    alive: () => isProcessAlive(record.pid, record.startTime),
    onTimeout: () => new ServiceStartTimeoutError('Temporal dev server', timeoutMs, paths.logFile),
  });
  options.log(`started the Temporal dev server (pid ${record.pid}) at ${address}`);
  return handle(record, true);

  function handle(proc: PidRecord, startedHere: boolean): RunningTemporal {
    return {
      address,
      namespace: options.namespace,
      pid: proc.pid,
      startedHere,
      logFile: paths.logFile,
      async stop() {
        await terminateProcess(proc.pid, proc.startTime, { signal: 'SIGTERM', graceMs: 20_000 });
        removePidFile(paths.pidFile);
      },
    };
  }
}
