/**
 * Job backends for Ballast behind one `Backend` interface: submit exactly once per idempotency key,
 * observe, cancel, read logs. `LocalBackend` runs jobs as local processes, `SlurmBackend` through the
 * Slurm CLI (sbatch/squeue/scontrol/scancel), `RayBackend` through the Ray Jobs REST API. An unreachable
 * control plane is an observation, never a job state. Nothing here knows about workflows, APIs or databases.
 *
 * @example
 * import { LocalBackend } from '@ballast/backends';
 * const backend = new LocalBackend({ stateDir: '/var/lib/ballast/backends/local', baseEnv: { PATH: '/usr/bin:/bin' } });
 * const { handle, adopted } = await backend.submit({
 *   idempotencyKey: 'job_123/attempt_1', jobId: 'job_123', attemptId: 'attempt_1',
 *   command: ['python3', '-m', 'verl.trainer.main_ppo', 'trainer.save_freq=50'],
 *   env: { BALLAST_OUTPUT_DIR: '/data/out/job_123' }, cwd: '/data/work', outputDir: '/data/out/job_123',
 *   resources: { cpus: 8, gpus: 1 },
 * });
 * const observation = await backend.status(handle); // { kind: 'state', state: 'RUNNING', startedAt: … }
 */
export type { Backend, BackendJobHandle, BackendObservation, LogsOptions, SubmitRequest } from './backend.js';
export { LocalBackend } from './local/local-backend.js';
export type { LocalBackendOptions } from './local/local-backend.js';
export { localJobId } from './local/layout.js';
export { validateSubmitRequest } from './validate-request.js';
export { SlurmBackend } from './slurm/slurm-backend.js';
export type { SlurmBackendOptions } from './slurm/slurm-backend.js';
export type { SlurmSubmitRequest } from './slurm/sbatch.js';
export type { SlurmObservation } from './slurm/observe.js';
export type { CommandRunner, CommandResult } from './slurm/cli.js';
export { slurmJobName } from './slurm/layout.js';
export { raySubmissionId } from './ray/submission-id.js';
export { RayBackend } from './ray/ray-backend.js';
export type { RayBackendOptions } from './ray/ray-backend.js';
export {
  BACKEND_ERROR_CODES,
  BackendError,
  BackendUnreachableError,
  CancelTimeoutError,
  CancelIncompleteError,
  CorruptBackendStateError,
  InvalidSshOptionsError,
  InvalidSubmitRequestError,
  LaunchFailedError,
  WrongBackendHandleError,
} from './errors.js';
export type { BackendErrorCode } from './errors.js';
export { sshRunner, sshOptionIssues, SSH_EXTRA_OPTIONS } from './slurm/ssh-runner.js';
export type { SshRunnerOptions } from './slurm/ssh-runner.js';
export { RAY_BOOTSTRAP_FAILED_EXIT } from './slurm/ray-on-slurm.js';
export type { RayOnSlurm } from './slurm/ray-on-slurm.js';
export { shellQuote } from './shell-quote.js';
