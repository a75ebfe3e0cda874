import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** Every Slurm job Ballast submits is named with this prefix, so listings can pick Ballast's out. */
export const JOB_NAME_PREFIX = 'ballast-';
const COMMENT_PREFIX = 'ballast-key:';

/**
 * The Slurm job name for an idempotency key: a readable, sanitised prefix plus a hash of the exact key.
 * It contains only [A-Za-z0-9._-], so it is safe in `--name` filters and in Slurm's key=value output,
 * and two keys that sanitise alike (`a/b`, `a_b`) still get different names.
 */
export function slurmJobName(idempotencyKey: string): string {
  const readable = idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40);
  const hash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16);
  return `${JOB_NAME_PREFIX}${readable}-${hash}`;
}

/**
 * The job's `--comment`: the exact key, base64url-encoded. Encoded because Slurm prints comments raw in
 * its one-line key=value output, where a key holding spaces, `=` or newlines could forge other fields.
 */
export function keyComment(idempotencyKey: string): string {
  return `${COMMENT_PREFIX}${Buffer.from(idempotencyKey, 'utf8').toString('base64url')}`;
}

export function keyFromComment(comment: string): string | null {
  if (!comment.startsWith(COMMENT_PREFIX)) return null;
  return Buffer.from(comment.slice(COMMENT_PREFIX.length), 'base64url').toString('utf8');
}

/** Where the Slurm backend keeps its files below `stateDir`, which the cluster's nodes must also see. */
export class SlurmLayout {
  constructor(readonly stateDir: string) {}

  /** The generated batch script; the same for every job. */
  get batchScript(): string {
    return join(this.stateDir, 'batch.sh');
  }
  get jobsDir(): string {
    return join(this.stateDir, 'jobs');
  }
  jobDir(jobName: string): string {
    return join(this.jobsDir, jobName);
  }
  /** `{ idempotencyKey }`, written before the first sbatch so finished jobs can be named by their key. */
  keyRecord(jobName: string): string {
    return join(this.jobDir(jobName), 'key.json');
  }
  /** argv, env and cwd for one submission; read by runner.js on the compute node. */
  launchSpec(jobName: string, launchId: string): string {
    return join(this.jobDir(jobName), `launch-${launchId}.json`);
  }
  outputLog(jobName: string): string {
    return join(this.jobDir(jobName), 'output.log');
  }
}
