/**
 * The real Slurm cluster and Ray head the integration tests run on: @ballast/backends' test-cluster
 * fixture (`@ballast/backends/testing/clusters`), each cluster in a state directory of its own with ports
 * of its own, so two test runs never share or stop each other's. The test runner starts one of each per
 * run (BALLAST_TEST_SLURM_CONF, BALLAST_TEST_RAY_ADDRESS); a test file run on its own gets private ones,
 * stopped when its process exits. A test that stops a controller takes a private cluster.
 */
import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { promisify } from 'node:util';
import { raySubmissionId, slurmJobName } from '@ballast/backends';
import { privateCluster, sharedCluster, startCluster, stopCluster } from '@ballast/backends/testing/clusters';

const run = promisify(execFile);
/** squeue and friends give up on a dead controller after MessageTimeout (5 s) and a retry. */
const CLI_TIMEOUT_MS = 30_000;

/** The address of the run's cluster (the SLURM_CONF path; the Ray Jobs API), or of this process's own. */
export async function clusterAddress(name: 'slurm' | 'ray'): Promise<string> {
  return (await sharedCluster(name)).address;
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
  const cluster = await privateCluster('slurm');
  return {
    dir: cluster.dir,
    slurmConf: cluster.address,
    stopController: async () => await stopCluster('slurm', cluster.dir, ['slurmctld']),
    startController: async () => {
      await startCluster('slurm', cluster.dir);
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
