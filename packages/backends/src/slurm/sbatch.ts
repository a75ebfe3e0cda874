import type { SubmitRequest } from '../backend.js';
import { rayOnSlurmIssues } from './ray-on-slurm.js';
import type { RayOnSlurm } from './ray-on-slurm.js';

/**
 * The batch script every Ballast job is submitted with. It is constant: sbatch hands the words given
 * after the script's path to it as "$@" (node, runner.js, the launch spec path), so no job's text, and
 * no user's, is ever parsed by a shell.
 */
export const BATCH_SCRIPT = `#!/bin/sh
# Written by Ballast's Slurm backend. The same for every job; nothing of any job is in it.
# sbatch passes the arguments after this script's path as "$@": node, Ballast's runner, the launch spec.
exec "$@"
`;

/**
 * What Slurm adds to a submit request: an opt-in launch mode. It is the one backend that honours
 * `resources.nodes` and `timeLimitMinutes` (`resources` are per node: cpus and gpus on each of `nodes`).
 */
export interface SlurmSubmitRequest extends SubmitRequest {
  /** Start a Ray cluster across the allocation and run `command` as its driver on the first node. */
  distributed?: RayOnSlurm;
}

export interface SbatchPlacement {
  partition?: string;
  account?: string;
  qos?: string;
}

export interface SbatchArgs {
  jobName: string;
  comment: string;
  jobDir: string;
  outputLog: string;
  batchScript: string;
  /** node, runner.js (or ray-on-slurm-runner.js), launch spec: the batch script's "$@". */
  scriptArgs: readonly string[];
}

export function slurmRequestIssues(request: SlurmSubmitRequest): string[] {
  const issues: string[] = [];
  const nodes = request.resources.nodes;
  if (nodes !== undefined && !(Number.isInteger(nodes) && nodes >= 1)) issues.push('resources.nodes: must be an integer >= 1');
  const minutes = request.timeLimitMinutes;
  if (minutes !== undefined && !(Number.isFinite(minutes) && minutes > 0)) issues.push('timeLimitMinutes: must be > 0');
  if (request.distributed !== undefined) issues.push(...rayOnSlurmIssues(request.distributed));
  return issues;
}

/**
 * sbatch's argv. Submitted held: the submitter releases it only after checking that no concurrent
 * submitter got a job in first under the same name (see SlurmBackend.submit).
 */
export function sbatchArgv(request: SlurmSubmitRequest, placement: SbatchPlacement, args: SbatchArgs): string[] {
  const { cpus, gpus, memoryGb, nodes } = request.resources;
  const argv = [
    'sbatch',
    '--parsable',
    '--hold',
    // The job's environment comes from the launch spec alone; runner.js adds only SLURM_* variables.
    '--export=NONE',
    `--job-name=${args.jobName}`,
    `--comment=${args.comment}`,
    `--chdir=${args.jobDir}`,
    `--output=${args.outputLog}`,
    // A requeued job appends to the same log instead of truncating its earlier runs.
    '--open-mode=append',
    `--nodes=${nodes ?? 1}`,
    '--ntasks-per-node=1',
    `--cpus-per-task=${Math.ceil(cpus)}`,
  ];
  if (gpus > 0) argv.push(`--gpus-per-node=${gpus}`);
  if (memoryGb !== undefined) argv.push(`--mem=${Math.ceil(memoryGb * 1024)}M`);
  if (request.timeLimitMinutes !== undefined) argv.push(`--time=${Math.ceil(request.timeLimitMinutes)}`);
  if (placement.partition) argv.push(`--partition=${placement.partition}`);
  if (placement.qos) argv.push(`--qos=${placement.qos}`);
  if (placement.account) argv.push(`--account=${placement.account}`);
  argv.push(args.batchScript, ...args.scriptArgs);
  return argv;
}
