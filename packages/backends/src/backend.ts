import type { BackendKind, JobState } from '@ballast/schema';

/**
 * One launch of one job attempt. The idempotency key makes submission exactly-once: a second submit with
 * the same key returns the first launch instead of starting another (retries, worker crashes, replays).
 */
export interface SubmitRequest {
  idempotencyKey: string;
  jobId: string;
  attemptId: string;
  /** argv; never a shell string, so nothing in it is ever interpreted by a shell. */
  command: readonly string[];
  /** The job's environment, complete apart from what a backend documents it adds (e.g. PATH). */
  env: Record<string, string>;
  /** Absolute working directory of the program. */
  cwd: string;
  /** Absolute directory where the program writes its outputs (BALLAST_OUTPUT_DIR). */
  outputDir: string;
  /** CPUs, GPUs and memory per node. `nodes` > 1 and a time limit are honoured by Slurm only. */
  resources: { cpus: number; gpus: number; memoryGb?: number; nodes?: number };
  /** Wall-clock limit the scheduler enforces (Slurm's `--time`). */
  timeLimitMinutes?: number;
}

/** What the caller persists to find a job again after its own restart. */
export interface BackendJobHandle {
  backend: BackendKind;
  backendJobId: string;
  idempotencyKey: string;
}

/**
 * What a backend can say about a job. `unreachable` means the backend could not be asked: it says
 * nothing about the job, which may well still be running, so callers must not treat it as a failure.
 */
export type BackendObservation =
  | {
      kind: 'state';
      state: JobState;
      exitCode?: number;
      detail?: string;
      logTail?: string[];
      startedAt?: string;
      endedAt?: string;
      /**
       * How many times the backend itself has re-run this job under the same id (Slurm's requeue).
       * Each re-run is a new attempt for Ballast, though nothing was submitted.
       */
      restarts?: number;
    }
  | { kind: 'unreachable'; detail: string };

export interface LogsOptions {
  /** Return only the last N lines. */
  tailLines?: number;
}

/** Where jobs run: local processes today; Slurm and Ray implement the same contract. */
export interface Backend {
  readonly kind: BackendKind;
  /** Launches the job unless one with the same idempotency key exists, in which case it is adopted. */
  submit(request: SubmitRequest): Promise<{ handle: BackendJobHandle; adopted: boolean }>;
  findByKey(idempotencyKey: string): Promise<BackendJobHandle | null>;
  status(handle: BackendJobHandle): Promise<BackendObservation>;
  /** Idempotent; when it returns, the job is terminal and none of its processes remain. */
  cancel(handle: BackendJobHandle): Promise<void>;
  logs(handle: BackendJobHandle, options?: LogsOptions): Promise<string[]>;
  /** Every job this backend instance's state knows of, terminal or not. */
  listOwned(): Promise<BackendJobHandle[]>;
}
