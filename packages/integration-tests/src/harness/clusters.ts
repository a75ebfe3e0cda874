import { execFile, execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { raySubmissionId, slurmJobName } from '@ballast/backends';
import { repositoryRoot } from '@ballast/config';

const run = promisify(execFile);

/** Starts (or finds running) the real cluster of `infra/<name>/up.sh`; its last output line is its address. */
export function clusterAddress(name: 'slurm' | 'ray'): string {
  const out = execFileSync('bash', [join(repositoryRoot(), 'infra', name, 'up.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop()!;
}

/** Stops only the Slurm controller (`infra/slurm/down.sh slurmctld`): Slurm becomes unreachable. */
export async function stopSlurmController(): Promise<void> {
  await run('bash', [join(repositoryRoot(), 'infra', 'slurm', 'down.sh'), 'slurmctld']);
}

export interface SlurmJobRow {
  readonly jobId: string;
  readonly state: string;
}

/** Every job Slurm still remembers under the name Ballast gives an idempotency key, finished ones included. */
export async function slurmJobsForKey(slurmConf: string, key: string): Promise<SlurmJobRow[]> {
  const { stdout } = await run('squeue', ['--noheader', '--states=all', `--name=${slurmJobName(key)}`, '--format=%i|%T'], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', SLURM_CONF: slurmConf },
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
  });
  return stdout.split('\n').filter((l) => l.includes('|ballast-'));
}

interface RayJob {
  submission_id: string | null;
  status: string;
}

/**
 * One call to Ray's Jobs REST API. Plain node:http, not fetch: Ray refuses state-changing requests that
 * carry the browser headers fetch adds (Sec-Fetch-*).
 */
export function rayRequest(address: string, method: 'GET' | 'POST' | 'DELETE', path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(new URL(path, address), { method }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
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
