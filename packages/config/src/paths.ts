import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BallastConfig } from './schema.js';

/** Where each kind of state lives under BALLAST_HOME. One place, so nothing invents its own layout. */
export function homePaths(config: Pick<BallastConfig, 'home'>) {
  const home = config.home;
  return {
    home,
    artifacts: join(home, 'artifacts'),
    jobs: join(home, 'jobs'),
    backendState: join(home, 'backends', 'local'),
    /** Always an allowed dataset root; operators add more with `datasets.allowedRoots`. */
    datasets: join(home, 'datasets'),
    /** Always an allowed root for base models, reward functions and task files; operators add more with `ml.allowedRoots`. */
    models: join(home, 'models'),
    referenceDatasets: join(home, 'datasets', 'reference'),
    benchmarks: join(home, 'benchmarks'),
    temporal: join(home, 'temporal'),
    postgres: join(home, 'postgres'),
    logs: join(home, 'logs'),
    /** One running server per role (all, api, worker) per BALLAST_HOME. */
    serverPidFile: (role: string) => join(home, `server-${role}.pid.json`),
  } as const;
}
export type HomePaths = ReturnType<typeof homePaths>;

/** Directories under which a dataset path a user names may be read: $BALLAST_HOME/datasets plus the configured ones. */
export function datasetRoots(config: Pick<BallastConfig, 'home' | 'datasets'>): string[] {
  return [homePaths(config).datasets, ...config.datasets.allowedRoots];
}

/** How an operator widens the dataset roots; quoted when a dataset path is refused. */
export const DATASET_ROOTS_SETTING = 'datasets.allowedRoots / BALLAST_DATASET_ROOTS, besides $BALLAST_HOME/datasets';

/** Directories under which a model, reward-function or task path a user names may be read. */
export function mlRoots(config: Pick<BallastConfig, 'home' | 'ml'>): string[] {
  return [homePaths(config).models, ...config.ml.allowedRoots];
}

/** How an operator widens the ML roots; quoted when a model, reward or task path is refused. */
export const ML_ROOTS_SETTING = 'ml.allowedRoots / BALLAST_ML_ROOTS, besides $BALLAST_HOME/models';

/** The project-local ML venv `npm run setup:ml` builds. */
export function mlVenvDir(config: Pick<BallastConfig, 'toolsDir'>): string {
  return join(config.toolsDir, 'ml-venv');
}

export interface MlEnvironmentConfig {
  readonly python: string;
  readonly pythonOn?: { readonly local?: string | undefined; readonly slurm?: string | undefined; readonly ray?: string | undefined } | undefined;
}

/** The configured ML environments, with `default` always present (the setup:ml venv unless configured). */
export function mlEnvironments(config: Pick<BallastConfig, 'toolsDir' | 'ml'>): Record<string, MlEnvironmentConfig> {
  const out: Record<string, MlEnvironmentConfig> = { ...config.ml.environments };
  if (!out['default']) out['default'] = { python: config.ml.defaultPython ?? join(mlVenvDir(config), 'bin', 'python') };
  return out;
}

/** The interpreter of environment `name` as the nodes of `backend` see it; null when no such environment. */
export function pythonFor(config: Pick<BallastConfig, 'toolsDir' | 'ml'>, name: string, backend: 'local' | 'slurm' | 'ray'): string | null {
  const env = mlEnvironments(config)[name];
  if (!env) return null;
  return env.pythonOn?.[backend] ?? env.python;
}

/** Where embedded PostgreSQL state goes when running as root and `database.embeddedDataDir` is unset. */
export const ROOT_POSTGRES_BASE = '/var/lib/ballast/postgres';

/**
 * The embedded PostgreSQL's state directory: `database.embeddedDataDir` when set; otherwise, as root,
 * `/var/lib/ballast/postgres/<hash of the real home path>`, because PostgreSQL runs as the `postgres`
 * system user and could not enter a 0700 BALLAST_HOME; otherwise `$BALLAST_HOME/postgres`.
 */
export function postgresStateDir(
  config: { readonly home: string; readonly database: { readonly embeddedDataDir?: string | undefined } },
  asRoot = typeof process.getuid === 'function' && process.getuid() === 0,
): string {
  if (config.database.embeddedDataDir) return config.database.embeddedDataDir;
  if (!asRoot) return homePaths(config).postgres;
  let home = resolve(config.home);
  try {
    home = realpathSync(home);
  } catch {
    // Not created yet: the resolved name is what it will be created as.
  }
  return join(ROOT_POSTGRES_BASE, createHash('sha256').update(home).digest('hex').slice(0, 16));
}
