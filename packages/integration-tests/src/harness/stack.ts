import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig, type BallastConfig } from '@ballast/config';
import { createLogger, startServer, type RunningServer } from '@ballast/server';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '@ballast/api';
import { freePort } from './ports.js';

export interface TestStack {
  readonly home: string;
  readonly config: BallastConfig;
  readonly server: RunningServer;
  readonly api: ReturnType<typeof createTRPCClient<AppRouter>>;
  stop(): Promise<void>;
}

/** A database of its own on BALLAST_TEST_DATABASE_URL's server, when that is set. */
async function externalTestDatabase(baseUrl: string): Promise<string> {
  const name = `ballast_test_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Test settings: free ports, a fresh BALLAST_HOME, quick polling. Real Temporal and PostgreSQL. */
export async function testConfig(home: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<BallastConfig> {
  const external = process.env['BALLAST_TEST_DATABASE_URL'];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    BALLAST_HOME: home,
    BALLAST_API_PORT: String(await freePort()),
    BALLAST_TEMPORAL_PORT: String(await freePort()),
    BALLAST_POSTGRES_PORT: String(await freePort()),
    BALLAST_POLL_INTERVAL_MS: '250',
    BALLAST_LOG_LEVEL: process.env['BALLAST_TEST_LOG_LEVEL'] ?? 'warn',
    ...(process.env['TEMPORAL_CLI'] ? { TEMPORAL_CLI: process.env['TEMPORAL_CLI'] } : {}),
    ...(external ? { DATABASE_URL: await externalTestDatabase(external) } : {}),
    ...extraEnv,
  };
  return loadConfig({ env, cwd: home });
}

export function freshHome(label: string): string {
  const home = mkdtempSync(join(tmpdir(), `ballast-${label}-`));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its data directory.
  chmodSync(home, 0o755);
  return home;
}

/** Starts a whole Ballast (embedded stack + API + worker) in this process for a test file. */
export async function startTestStack(label: string, options: { home?: string; env?: NodeJS.ProcessEnv } = {}): Promise<TestStack> {
  const home = options.home ?? freshHome(label);
  const config = await testConfig(home, options.env);
  const server = await startServer(config, createLogger(config), 'all');
  const api = createTRPCClient<AppRouter>({ links: [httpLink({ url: server.apiUrl! })] });
  return {
    home,
    config,
    server,
    api,
    async stop() {
      await server.stop();
      if (!process.env['BALLAST_TEST_KEEP_HOME']) rmSync(home, { recursive: true, force: true });
    },
  };
}
