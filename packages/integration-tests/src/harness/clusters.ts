/**
 * The real Slurm cluster and Ray head the backend tests run on, each in a state directory of its own
 * with ports of its own (infra/{slurm,ray}/up.sh --run-dir), so two test runs never share or stop each
 * other's. The test runner starts one of each per run and passes BALLAST_TEST_SLURM_CONF and
 * BALLAST_TEST_RAY_ADDRESS; a test file run on its own starts private ones for its process, stopped
 * when the process exits. A test that stops a controller takes a private cluster (`privateSlurmCluster`).
 * (The same contract as @ballast/backends' test fixture src/fixtures/clusters.ts, which is not exported.)
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { raySubmissionId, slurmJobName } from '@ballast/backends';
import { repositoryRoot } from '@ballast/config';

const run = promisify(execFile);
/** A first start installs packages (Debian's Slurm, Ray from PyPI). */
const UP_TIMEOUT_MS = 600_000;
const DOWN_TIMEOUT_MS = 90_000;
/** squeue and friends give up on a dead controller after MessageTimeout (5 s) and a retry. */
const CLI_TIMEOUT_MS = 30_000;

type ClusterName = 'slurm' | 'ray';
const RUNNER_ENV: Record<ClusterName, string> = { slurm: 'BALLAST_TEST_SLURM_CONF', ray: 'BALLAST_TEST_RAY_ADDRESS' };

function script(name: ClusterName, action: 'up' | 'down'): string {
  return join(repositoryRoot(), 'infra', name, `${action}.sh`);
}

function failure(what: string, error: unknown): Error {
  const e = error as { killed?: boolean; code?: unknown; signal?: unknown; stderr?: string | Buffer };
  const why = e.killed ? 'ran past its time bound' : `exited with ${String(e.code ?? e.signal)}`;
  return new Error(`${what} ${why}: ${String(e.stderr ?? '').trim().split('\n').slice(-15).join('\n')}`);
}

const privateDirs = new Map<string, ClusterName>();
let exitHookInstalled = false;

/** Stops this process's private clusters: at exit (and on SIGTERM/SIGINT), synchronous and bounded. */
function stopPrivateClusters(): void {
  for (const [dir, name] of privateDirs) {
    try {
      execFileSync('bash', [script(name, 'down'), '--run-dir', dir], { timeout: DOWN_TIMEOUT_MS, stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Left for the operator; the directory name says what it is.
    }
  }
  privateDirs.clear();
}

function newPrivateDir(name: ClusterName): string {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', stopPrivateClusters);
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        stopPrivateClusters();
        process.exit(signal === 'SIGTERM' ? 143 : 130);
      });
    }
  }
  // Short: Ray and munged put unix sockets below it.
  const dir = mkdtempSync(join('/tmp', `bt-${name}-`));
  privateDirs.set(dir, name);
  return dir;
}

function lastLine(stdout: string, what: string): string {
  const line = stdout.trim().split('\n').at(-1)?.trim();
  if (!line) throw new Error(`${what} printed no address`);
  return line;
}

const started = new Map<ClusterName, string>();

/**
 * The address of the run's cluster (BALLAST_TEST_SLURM_CONF: the SLURM_CONF path; BALLAST_TEST_RAY_ADDRESS:
 * the Jobs API), or of a private one this process starts on first use (bounded) and stops at exit.
 */
export function clusterAddress(name: ClusterName): string {
  const fromRunner = process.env[RUNNER_ENV[name]];
  if (fromRunner) return fromRunner;
  const known = started.get(name);
  if (known) return known;
  const dir = newPrivateDir(name);
  let out: string;
  try {
    out = execFileSync('bash', [script(name, 'up'), '--run-dir', dir], { encoding: 'utf8', timeout: UP_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw failure(`infra/${name}/up.sh --run-dir ${dir}`, error);
  }
  const address = lastLine(out, `infra/${name}/up.sh`);
  started.set(name, address);
  return address;
}

/** A Slurm cluster of this process's own, for tests that take its controller away. */
export interface PrivateSlurmCluster {
  readonly dir: string;
  /** The SLURM_CONF path. */
  readonly slurmConf: string;
  /** Stops only slurmctld: jobs keep running, nothing can ask about them. */
  stopController(): Promise<void>;
  /** Starts slurmctld again with the ports and state it had (idempotent). */
  startController(): Promise<void>;
}

export async function privateSlurmCluster(): Promise<PrivateSlurmCluster> {
  const dir = newPrivateDir('slurm');
  const up = async (): Promise<string> => {
    try {
      return lastLine((await run('bash', [script('slurm', 'up'), '--run-dir', dir], { timeout: UP_TIMEOUT_MS })).stdout, 'infra/slurm/up.sh');
    } catch (error) {
      throw failure(`infra/slurm/up.sh --run-dir ${dir}`, error);
    }
  };
  const slurmConf = await up();
  return {
    dir,
    slurmConf,
    stopController: async () => {
      try {
        await run('bash', [script('slurm', 'down'), '--run-dir', dir, 'slurmctld'], { timeout: DOWN_TIMEOUT_MS });
      } catch (error) {
        throw failure(`infra/slurm/down.sh --run-dir ${dir} slurmctld`, error);
      }
    },
    startController: async () => {
      await up();
    },
  };
}

export interface SlurmJobRow {
  readonly jobId: string;
  readonly state: string;
}

/** Every job Slurm still remembers under the name Ballast gives an idempotency key, finished ones included. */
export async function slurmJobsForKey(slurmConf: string, key: string): Promise<SlurmJobRow[]> {
  const { stdout } = await run('squeue', ['--noheader', '--states=all', `--name=${slurmJobName(key)}`, '--format=%i|%T'], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', SLURM_CONF: slurmConf },
    timeout: CLI_TIMEOUT_MS,
  });
  return stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const [jobId, state] = l.trim().split('|');
      return { jobId: jobId!, state: state! };
    });
}

/** Every Ballast job Slurm lists that is not finished. */
export async function runningSlurmJobs(slurmConf: string): Promise<string[]> {
  const { stdout } = await run('squeue', ['--noheader', '--format=%i|%j|%T'], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', SLURM_CONF: slurmConf },
    timeout: CLI_TIMEOUT_MS,
  });
  return stdout.split('\n').filter((l) => l.includes('|ballast-'));
}

interface RayJob {
  submission_id: string | null;
  status: string;
}

/**
 * One call to Ray's Jobs REST API, failing after 15 s without an answer. Plain node:http, not fetch: Ray
 * refuses state-changing requests that carry the browser headers fetch adds (Sec-Fetch-*).
 */
export function rayRequest(address: string, method: 'GET' | 'POST' | 'DELETE', path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(new URL(path, address), { method, timeout: 15_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('timeout', () => request.destroy(new Error(`Ray ${method} ${path}: no answer within 15 s`)));
    request.on('error', reject);
    request.end();
  });
}

async function rayJobs(address: string): Promise<RayJob[]> {
  const response = await rayRequest(address, 'GET', '/api/jobs/');
  if (response.status !== 200) throw new Error(`Ray job list: HTTP ${response.status}`);
  return JSON.parse(response.body) as RayJob[];
}

/** Ray jobs submitted under the submission id Ballast derives from an idempotency key. */
export async function rayJobsForKey(address: string, key: string): Promise<RayJob[]> {
  const id = raySubmissionId(key);
  return (await rayJobs(address)).filter((j) => j.submission_id === id);
}

/** Ballast's Ray jobs that are not finished. */
export async function runningRayJobs(address: string): Promise<RayJob[]> {
  return (await rayJobs(address)).filter((j) => j.submission_id?.startsWith('ballast-') && ['PENDING', 'RUNNING'].includes(j.status));
}
