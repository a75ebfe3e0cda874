import { homePaths, postgresStateDir, type BallastConfig } from '@ballast/config';
import { findTemporalCli, startTemporalDevServer, temporalPaths } from '@ballast/temporal-dev';
import { postgresPaths, startEmbeddedPostgres } from '@ballast/postgres-dev';
import { SEARCH_ATTRIBUTE_TYPES } from '@ballast/workflow-contract';
import type { Logger } from './logger.js';

export interface StackEndpoints {
  readonly temporalAddress: string;
  readonly databaseUrl: string;
  /** Stops the embedded services this stack runs (started now or adopted from a crashed run). */
  stop(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

/** Where the embedded services keep their state; one place, so `ballast down` finds what `up` started. */
function stateDirs(config: BallastConfig) {
  return { temporal: homePaths(config).temporal, postgres: postgresStateDir(config) };
}

/**
 * The pid files of the embedded services this BALLAST_HOME runs, with the signal that stops each
 * cleanly (SIGINT is PostgreSQL's fast shutdown). They outlive a killed `ballast up`.
 */
export function embeddedServicePidFiles(config: BallastConfig): readonly { service: string; pidFile: string; signal: NodeJS.Signals }[] {
  const dirs = stateDirs(config);
  return [
    { service: 'Temporal dev server', pidFile: temporalPaths(dirs.temporal).pidFile, signal: 'SIGTERM' },
    { service: 'PostgreSQL', pidFile: postgresPaths(dirs.postgres).pidFile, signal: 'SIGINT' },
  ];
}

/**
 * Starts (or adopts) the embedded Temporal dev server and PostgreSQL, unless configuration points at
 * external ones. Both run on loopback with their state under BALLAST_HOME.
 */
export async function startStack(config: BallastConfig, log: Logger): Promise<StackEndpoints> {
  const say = (line: string) => log('info', line);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of [...stops].reverse()) await stop();
  };
  try {
    return await startServices(config, say, stops, stopAll);
  } catch (error) {
    // Nothing half-started stays behind: stop what already runs before reporting the failure.
    await stopAll().catch(() => undefined);
    throw error;
  }
}

async function startServices(
  config: BallastConfig,
  say: (line: string) => void,
  stops: (() => Promise<void>)[],
  stopAll: () => Promise<void>,
): Promise<StackEndpoints> {
  const dirs = stateDirs(config);
  let temporalAddress = config.temporal.address;
  if (!temporalAddress) {
    const cli = await findTemporalCli({
      explicitPath: config.temporal.cliPath,
      searchPath: process.env['PATH'],
      toolsDir: config.toolsDir,
      install: true,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    const temporal = await startTemporalDevServer({
      cliPath: cli.path,
      stateDir: dirs.temporal,
      host: LOOPBACK,
      port: config.temporal.embeddedPort,
      namespace: config.temporal.namespace,
      searchAttributes: SEARCH_ATTRIBUTE_TYPES,
      log: say,
    });
    temporalAddress = temporal.address;
    stops.push(() => temporal.stop());
  }
  let databaseUrl = config.database.url;
  if (!databaseUrl) {
    const postgres = await startEmbeddedPostgres({
      stateDir: dirs.postgres,
      host: LOOPBACK,
      port: config.database.embeddedPort,
      database: config.database.name,
      log: say,
    });
    databaseUrl = postgres.url;
    stops.push(() => postgres.stop());
  }
  return { temporalAddress, databaseUrl, stop: stopAll };
}
