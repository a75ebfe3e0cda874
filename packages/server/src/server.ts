import { mkdirSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { join } from 'node:path';
import { LocalBackend, RayBackend, SlurmBackend, sshRunner, type Backend } from '@ballast/backends';
import { homePaths, redactUrl, type BallastConfig } from '@ballast/config';
import { createDb, migrate, type DbHandle } from '@ballast/db';
import { liveProcessFromPidFile, removePidFile, writePidFile, processStartTime } from '@ballast/daemon';
import { resumePendingLaunches } from '@ballast/api';
import { createApiContext, startApiServer, type ApiServerHandle } from './api-server.js';
import { startStack, type StackEndpoints } from './embedded-stack.js';
import type { Logger } from './logger.js';
import { temporalConnectionOptions } from './temporal-connection.js';
import { ensureReconcileSchedule } from './reconcile-schedule.js';
import { startWorker, type WorkerHandle } from './worker.js';
import { installTemporalRuntime } from './temporal-runtime.js';

export type ServerRole = 'all' | 'api' | 'worker';

export interface RunningServer {
  readonly apiUrl: string | null;
  readonly temporalAddress: string;
  readonly db: DbHandle;
  readonly client: Client;
  /** Settles when the worker stops for any reason; null when this process runs no worker. */
  readonly workerDone: Promise<void> | null;
  /** This process's worker, if it runs one (tests stop it to leave jobs without a watcher). */
  readonly worker: WorkerHandle | null;
  /** The backends this process's worker and API use. */
  readonly backends: Readonly<Record<string, Backend>>;
  /** Stops the API and the worker, then the embedded services. Safe to call twice. */
  stop(): Promise<void>;
}

/** Thrown when a single role is asked to run without external Temporal and PostgreSQL to share. */
export class EmbeddedStackRoleError extends Error {
  readonly code = 'ROLE_NEEDS_EXTERNAL_SERVICES';
  constructor(readonly role: ServerRole) {
    super(
      `--role ${role} runs against shared services: set TEMPORAL_ADDRESS and DATABASE_URL (the embedded stack belongs to 'ballast up')`,
    );
    this.name = 'EmbeddedStackRoleError';
  }
}

/** Thrown when another `ballast up` already serves this BALLAST_HOME. */
export class ServerAlreadyRunningError extends Error {
  readonly code = 'SERVER_ALREADY_RUNNING';
  constructor(readonly pid: number, readonly home: string) {
    super(`another Ballast server (pid ${pid}) already runs for ${home}; stop it first or use another BALLAST_HOME`);
    this.name = 'ServerAlreadyRunningError';
  }
}

/** The backends this deployment is configured for: local always, Slurm and Ray when their address is set. */
export function createBackends(config: BallastConfig): Record<string, Backend> {
  const backends: Record<string, Backend> = { local: new LocalBackend({ stateDir: homePaths(config).backendState }) };
  const slurm = config.backends.slurm;
  if (slurm.conf) {
    backends['slurm'] = new SlurmBackend({
      // Batch scripts and logs under BALLAST_HOME, which the cluster's nodes must share (docs/configuration.md).
      stateDir: join(config.home, 'backends', 'slurm'),
      slurmConf: slurm.conf,
      ...(slurm.partition ? { partition: slurm.partition } : {}),
      ...(slurm.account ? { account: slurm.account } : {}),
      ...(slurm.qos ? { qos: slurm.qos } : {}),
      ...(slurm.cliPath ? { cliPath: slurm.cliPath } : {}),
      ...(slurm.nodePath ? { nodePath: slurm.nodePath } : {}),
      ...(slurm.ssh.host
        ? {
            commandRunner: sshRunner({
              host: slurm.ssh.host,
              ...(slurm.ssh.user ? { user: slurm.ssh.user } : {}),
              ...(slurm.ssh.port ? { port: slurm.ssh.port } : {}),
              ...(slurm.ssh.identityFile ? { identityFile: slurm.ssh.identityFile } : {}),
              ...(slurm.ssh.knownHostsFile ? { knownHostsFile: slurm.ssh.knownHostsFile } : {}),
              strictHostKeyChecking: slurm.ssh.strictHostKeyChecking,
              connectTimeoutSeconds: slurm.ssh.connectTimeoutSeconds,
            }),
          }
        : {}),
    });
  }
  if (config.backends.ray.address) backends['ray'] = new RayBackend({ address: config.backends.ray.address });
  return backends;
}

/**
 * Runs Ballast: the embedded stack (unless external Temporal and PostgreSQL are configured), migrations,
 * the tRPC API and a worker, as `role` asks. In production the API and workers run as separate processes
 * (`role: 'api'` and `role: 'worker'`) against a Temporal cluster and PostgreSQL: same code, other config.
 */
export async function startServer(config: BallastConfig, log: Logger, role: ServerRole = 'all'): Promise<RunningServer> {
  const paths = homePaths(config);
  // Everything this process creates under BALLAST_HOME is owner-only (0700 directories, 0600 files),
  // whatever the operator's umask: sources, artifacts, logs and pid files may hold data or secrets.
  process.umask(0o077);
  mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  if (role !== 'all' && (!config.temporal.address || !config.database.url)) {
    throw new EmbeddedStackRoleError(role);
  }
  const other = liveProcessFromPidFile(paths.serverPidFile(role));
  if (other && other.pid !== process.pid) throw new ServerAlreadyRunningError(other.pid, config.home);
  writePidFile(paths.serverPidFile(role), {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    startedAt: new Date().toISOString(),
    command: process.argv,
    info: { role },
  });
  let stack: StackEndpoints | null = null;
  let db: DbHandle | null = null;
  let connection: Connection | null = null;
  let api: ApiServerHandle | null = null;
  let worker: WorkerHandle | null = null;
  let stopping: Promise<void> | null = null;
  const stop = async () => {
    stopping ??= (async () => {
      await api?.close().catch((e: unknown) => log('warn', `closing the API: ${String(e)}`));
      await worker?.shutdown().catch((e: unknown) => log('warn', `stopping the worker: ${String(e)}`));
      await connection?.close().catch(() => undefined);
      await db?.close().catch(() => undefined);
      await stack?.stop().catch((e: unknown) => log('warn', `stopping embedded services: ${String(e)}`));
      removePidFile(paths.serverPidFile(role));
      log('info', 'Ballast stopped');
    })();
    await stopping;
  };
  installTemporalRuntime(config);
  try {
    stack = await startStack(config, log);
    // Every activity slot may hold a connection, and the API needs some of its own besides.
    db = createDb(stack.databaseUrl, { max: config.worker.maxConcurrentActivities + 8 });
    const migrations = await migrate(db.pool);
    log('info', `database ready at ${redactUrl(stack.databaseUrl)}`, { migrationsApplied: migrations.applied.length });
    connection = await Connection.connect(temporalConnectionOptions(config, stack.temporalAddress));
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const backends = createBackends(config);
    if (role === 'all' || role === 'worker') {
      worker = await startWorker({ config, temporalAddress: stack.temporalAddress, db: db.db, client, backends, log });
      await ensureReconcileSchedule(client, config, log);
    }
    if (role === 'all' || role === 'api') {
      const context = createApiContext({ config, db: db.db, temporal: client, backends });
      const resumed = await resumePendingLaunches(context);
      if (resumed > 0) log('info', `checked ${resumed} experiment(s) still PENDING; their workflows are started`);
      api = await startApiServer(context, config, log);
    }
    return { apiUrl: api?.url ?? null, temporalAddress: stack.temporalAddress, db, client, workerDone: worker?.done ?? null, worker, backends, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
