import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, postgresStateDir, type BallastConfig } from '@ballast/config';
import { createLogger, startServer, type RunningServer } from '@ballast/server';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '@ballast/api';
import { freePort } from './ports.js';
import { sharedDatabase, sharedServices, sharedTemporalNamespace, type SharedServices } from './shared-stack.js';

export interface TestStack {
  readonly home: string;
  readonly config: BallastConfig;
  readonly server: RunningServer;
  readonly api: ReturnType<typeof createTRPCClient<AppRouter>>;
  stop(): Promise<void>;
}

/**
 * Test settings: free ports, a fresh BALLAST_HOME, quick polling. Real Temporal and PostgreSQL: the run's
 * shared ones (a namespace and a database of this stack's own) when `npm test` started them, else embedded.
 */
export async function testConfig(home: string, extraEnv: NodeJS.ProcessEnv = {}, options: { embedded?: boolean } = {}): Promise<BallastConfig> {
  const shared: SharedServices = options.embedded ? {} : sharedServices();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    BALLAST_HOME: home,
    BALLAST_API_PORT: String(await freePort()),
    BALLAST_TEMPORAL_PORT: String(await freePort()),
    BALLAST_POSTGRES_PORT: String(await freePort()),
    BALLAST_POLL_INTERVAL_MS: '250',
    BALLAST_LOG_LEVEL: process.env['BALLAST_TEST_LOG_LEVEL'] ?? 'warn',
    ...(process.env['TEMPORAL_CLI'] ? { TEMPORAL_CLI: process.env['TEMPORAL_CLI'] } : {}),
    ...(shared.temporalAddress ? { TEMPORAL_ADDRESS: shared.temporalAddress, TEMPORAL_NAMESPACE: await sharedTemporalNamespace(shared.temporalAddress) } : {}),
    ...(shared.databaseUrl ? { DATABASE_URL: await sharedDatabase(shared.databaseUrl) } : {}),
    ...extraEnv,
  };
  return loadConfig({ env, cwd: home });
}

export function freshHome(label: string): string {
  // mkdtemp makes it 0700, as Ballast makes a home; as root the embedded PostgreSQL keeps its state elsewhere.
  return mkdtempSync(join(tmpdir(), `ballast-${label}-`));
}

/** Removes a test home, and (as root) the embedded PostgreSQL state kept outside it; BALLAST_TEST_KEEP_HOME keeps both. */
export function removeTestHome(home: string): void {
  if (process.env['BALLAST_TEST_KEEP_HOME']) return;
  rmSync(home, { recursive: true, force: true });
  rmSync(postgresStateDir({ home, database: {} }), { recursive: true, force: true });
}

/** Starts a whole Ballast (embedded stack + API + worker) in this process for a test file. */
export async function startTestStack(
  label: string,
  /** `embedded`: start this stack's own Temporal and PostgreSQL under its home even when the run shares them (a test of what they create there). */
  options: { home?: string; env?: NodeJS.ProcessEnv; embedded?: boolean } = {},
): Promise<TestStack> {
  const home = options.home ?? freshHome(label);
  const config = await testConfig(home, options.env, { embedded: options.embedded });
  const server = await startServer(config, createLogger(config), 'all');
  const api = createTRPCClient<AppRouter>({ links: [httpLink({ url: server.apiUrl! })] });
  return {
    home,
    config,
    server,
    api,
    async stop() {
      await server.stop();
      removeTestHome(home);
    },
  };
}
