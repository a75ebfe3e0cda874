import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '@ballast/api';
import { repositoryRoot } from '@ballast/config';
import { freePort } from './ports.js';

const CLI = join(repositoryRoot(), 'apps', 'cli', 'dist', 'main.js');
const output = new WeakMap<ChildProcess, string[]>();

export type ApiClient = ReturnType<typeof createTRPCClient<AppRouter>>;

/** Environment for `ballast up` child processes of one test: its home, free ports, quick polling. */
export async function upEnvironment(home: string, extra: NodeJS.ProcessEnv = {}): Promise<{ env: NodeJS.ProcessEnv; api: ApiClient }> {
  const apiPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    BALLAST_HOME: home,
    BALLAST_API_PORT: String(apiPort),
    BALLAST_TEMPORAL_PORT: String(await freePort()),
    BALLAST_POSTGRES_PORT: String(await freePort()),
    BALLAST_POLL_INTERVAL_MS: '250',
    BALLAST_LOG_LEVEL: 'warn',
    ...(process.env['TEMPORAL_CLI'] ? { TEMPORAL_CLI: process.env['TEMPORAL_CLI'] } : {}),
    ...extra,
  };
  return { env, api: createTRPCClient<AppRouter>({ links: [httpLink({ url: `http://127.0.0.1:${apiPort}` })] }) };
}

/** Starts `ballast up` as a child process, keeping its output for error messages. */
export function startUp(env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [CLI, 'up'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  output.set(child, lines);
  const keep = (chunk: Buffer) => {
    lines.push(chunk.toString());
    if (process.env['BALLAST_TEST_LOG_LEVEL']) process.stderr.write(chunk);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return child;
}

export async function waitForApi(api: ApiClient, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ballast up exited with ${child.exitCode}:\n${(output.get(child) ?? []).join('')}`);
    try {
      await api.experiments.list.query({});
      return;
    } catch {
      if (Date.now() > deadline) throw new Error('ballast up did not serve the API within 120 s');
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}
