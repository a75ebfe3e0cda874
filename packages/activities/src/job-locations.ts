import { join } from 'node:path';
import type { ActivityDeps } from './deps.js';

/** Job outputs live in the artifact store so checkpoints and eval results get file:// URIs. */
export function jobOutputKey(jobId: string): string {
  return `jobs/${jobId}`;
}

export function jobOutputDir(deps: ActivityDeps, jobId: string): string {
  return join(deps.paths.artifacts, jobOutputKey(jobId));
}

export function jobSpecKey(jobId: string): string {
  return `job-specs/${jobId}.json`;
}
