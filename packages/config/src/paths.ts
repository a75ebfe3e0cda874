import { join } from 'node:path';
import type { BallastConfig } from './schema.js';

/** Where each kind of state lives under BALLAST_HOME. One place, so nothing invents its own layout. */
export function homePaths(config: Pick<BallastConfig, 'home'>) {
  const home = config.home;
  return {
    home,
    artifacts: join(home, 'artifacts'),
    jobs: join(home, 'jobs'),
    backendState: join(home, 'backends', 'local'),
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
