import { setTimeout as sleep } from 'node:timers/promises';
import type { BackendKind, JobState } from '@ballast/schema';
import type { Backend, BackendJobHandle, BackendObservation, LogsOptions, SubmitRequest } from '../backend.js';
import { CorruptBackendStateError, InvalidSubmitRequestError, LaunchFailedError, WrongBackendHandleError } from '../errors.js';
import { validateSubmitRequest } from '../validate-request.js';
import { BackendUnreachableError, CancelTimeoutError } from '../errors.js';
import { nodeHttpTransport } from './http.js';
import type { HttpTransport } from './http.js';
import { RayJobsApi } from './jobs-api.js';
import type { RayJobDetails, RaySubmitBody } from './jobs-api.js';
import { entrypointLine } from './shell.js';
import { raySubmissionId } from './submission-id.js';

export interface RayBackendOptions {
  /** The Ray Jobs API (the dashboard address), e.g. `http://127.0.0.1:8265`. */
  address: string;
  /**
   * Replaces the built-in `node:http` client, e.g. with `fetchTransport(myFetch)`. Node's global `fetch`
   * itself is refused by Ray for POSTs (see `http.ts`).
   */
  transport?: HttpTransport;
  /** Per HTTP request; a request that takes longer counts as "unreachable". */
  requestTimeoutMs?: number;
  /** How long `cancel` waits for a stopped job to become terminal. Ray itself SIGKILLs after 3 s. */
  cancelTimeoutMs?: number;
  /**
   * A `runtime_env.working_dir` URI Ray can fetch (`gcs://…`, `s3://…`, `https://….zip`). When set, Ray
   * unpacks it and makes it the job's cwd, and the request's `cwd` is not used.
   */
  workingDir?: string;
  /** Lines `logs` returns when no `tailLines` is given. */
  defaultLogLines?: number;
}

// `BackendKind` in @ballast/schema does not list 'ray' yet; the lead adds it.
const RAY: BackendKind = 'ray';
/** Lines of output attached to FAILED observations, as for the local backend. */
const LOG_TAIL_LINES = 20;
const CANCEL_POLL_MS = 250;
const CANCEL_RESTOP_MS = 2_000;
/** Marks the jobs this backend owns in Ray's job list; Ray metadata values must be strings. */
const OWNER_METADATA = { key: 'ballast', value: 'true' } as const;

/**
 * Ray's job states in Ballast's words. FAILED splits in two: the program failed (its exit code), or Ray lost
 * the job's supervisor actor, which happens when the node running it dies; that is the infrastructure
 * taking the job away, so PREEMPTED.
 */
function stateOf(job: RayJobDetails): JobState {
  switch (job.status) {
    case 'PENDING':
      return 'QUEUED';
    case 'RUNNING':
      return 'RUNNING';
    case 'SUCCEEDED':
      return 'SUCCEEDED';
    case 'STOPPED':
      return 'CANCELLED';
    case 'FAILED':
      return job.error_type === 'JOB_SUPERVISOR_ACTOR_DIED' ? 'PREEMPTED' : 'FAILED';
  }
}

const TERMINAL_RAY_STATUSES: ReadonlySet<string> = new Set(['STOPPED', 'SUCCEEDED', 'FAILED']);

/**
 * Runs jobs on a Ray cluster through the Ray Jobs REST API. The submission id is derived from the
 * idempotency key, so Ray itself refuses a second job under the same key: a submit looks the key up first,
 * and a submit that loses a race with another adopts the winner. The exact key rides in the job's metadata.
 *
 * The entrypoint is a shell line (Ray runs it with `/bin/sh -c`) in which every argv word is single-quoted;
 * the environment goes in `runtime_env.env_vars`, so it also reaches the job's Ray tasks and actors. Jobs
 * additionally see the environment of the Ray node (PATH, RAY_ADDRESS…).
 */
export class RayBackend implements Backend {
  readonly kind: BackendKind = RAY;
  private readonly api: RayJobsApi;
  private readonly cancelTimeoutMs: number;
  private readonly workingDir: string | undefined;
  private readonly defaultLogLines: number;

  constructor(options: RayBackendOptions) {
    this.api = new RayJobsApi(options.address, options.transport ?? nodeHttpTransport, options.requestTimeoutMs ?? 10_000);
    this.cancelTimeoutMs = options.cancelTimeoutMs ?? 30_000;
    this.workingDir = options.workingDir;
    this.defaultLogLines = options.defaultLogLines ?? 1_000;
  }

  async submit(request: SubmitRequest): Promise<{ handle: BackendJobHandle; adopted: boolean }> {
    validateSubmitRequest(request);
    refuseRayExpansion(request.env);
    const existing = await this.findByKey(request.idempotencyKey);
    if (existing) return { handle: existing, adopted: true };

    const submissionId = raySubmissionId(request.idempotencyKey);
    const body: RaySubmitBody = {
      submission_id: submissionId,
      entrypoint: entrypointLine({
        command: request.command,
        mkdirs: [request.outputDir],
        ...(this.workingDir === undefined ? { cwd: request.cwd } : {}),
      }),
      runtime_env: {
        env_vars: { ...request.env },
        ...(this.workingDir === undefined ? {} : { working_dir: this.workingDir }),
      },
      metadata: {
        [OWNER_METADATA.key]: OWNER_METADATA.value,
        idempotency_key: request.idempotencyKey,
        job_id: request.jobId,
        attempt_id: request.attemptId,
      },
      entrypoint_num_cpus: request.resources.cpus,
      entrypoint_num_gpus: request.resources.gpus,
      ...(request.resources.memoryGb === undefined
        ? {}
        : { entrypoint_memory: Math.round(request.resources.memoryGb * 1024 ** 3) }),
    };
    const result = await this.api.submit(body);
    if (result.outcome === 'accepted') return { handle: toHandle(submissionId, request.idempotencyKey), adopted: false };
    if (result.outcome === 'duplicate') {
      // Another submitter won the race for this key between our lookup and our POST.
      const winner = await this.findByKey(request.idempotencyKey);
      if (winner) return { handle: winner, adopted: true };
      throw new LaunchFailedError(request.idempotencyKey, `Ray says ${submissionId} exists, then that it does not (deleted meanwhile?)`);
    }
    throw new LaunchFailedError(request.idempotencyKey, `Ray refused the job (HTTP ${result.status}): ${lastLine(result.text)}`);
  }

  async findByKey(idempotencyKey: string): Promise<BackendJobHandle | null> {
    const submissionId = raySubmissionId(idempotencyKey);
    const lookup = await this.api.getJob(submissionId);
    if (!lookup.found) return null;
    const owner = lookup.value.metadata?.idempotency_key;
    if (owner !== idempotencyKey) {
      throw new CorruptBackendStateError(
        `${this.api.address}/api/jobs/${submissionId}`,
        `Ray job ${submissionId} belongs to key ${JSON.stringify(owner)}, not ${JSON.stringify(idempotencyKey)}`,
      );
    }
    return toHandle(submissionId, idempotencyKey);
  }

  async status(handle: BackendJobHandle): Promise<BackendObservation> {
    const submissionId = this.checkHandle(handle);
    try {
      const lookup = await this.api.getJob(submissionId);
      if (!lookup.found) return { kind: 'state', state: 'LOST', detail: `Ray answered that job ${submissionId} does not exist` };
      return await this.observe(submissionId, lookup.value);
    } catch (error) {
      if (error instanceof BackendUnreachableError) return { kind: 'unreachable', detail: error.message };
      throw error;
    }
  }

  async cancel(handle: BackendJobHandle): Promise<void> {
    const submissionId = this.checkHandle(handle);
    const lookup = await this.api.getJob(submissionId);
    if (!lookup.found || TERMINAL_RAY_STATUSES.has(lookup.value.status)) return;
    if (!(await this.api.stop(submissionId))) return;
    // Ray reports STOPPED only after the entrypoint's process tree is gone (SIGTERM, then SIGKILL).
    // Stop is repeated while the job is not terminal: Ray answers `stopped: false` and does nothing when the
    // job's supervisor actor is not registered yet, and such a job would go on to run.
    const started = Date.now();
    let lastStop = started;
    let last = lookup.value.status as string;
    while (Date.now() - started < this.cancelTimeoutMs) {
      await sleep(CANCEL_POLL_MS);
      const current = await this.api.getJob(submissionId);
      if (!current.found) return;
      last = current.value.status;
      if (TERMINAL_RAY_STATUSES.has(last)) return;
      if (Date.now() - lastStop >= CANCEL_RESTOP_MS) {
        await this.api.stop(submissionId);
        lastStop = Date.now();
      }
    }
    throw new CancelTimeoutError(submissionId, last, Date.now() - started);
  }

  async logs(handle: BackendJobHandle, options: LogsOptions = {}): Promise<string[]> {
    const submissionId = this.checkHandle(handle);
    const lookup = await this.api.logs(submissionId);
    return lookup.found ? tail(lookup.value, options.tailLines ?? this.defaultLogLines) : [];
  }

  /** Every Ballast job Ray knows of, terminal or not: Ray's job list filtered by Ballast's metadata. */
  async listOwned(): Promise<BackendJobHandle[]> {
    const handles: BackendJobHandle[] = [];
    for (const job of await this.api.listJobs()) {
      const key = job.metadata?.idempotency_key;
      if (job.metadata?.[OWNER_METADATA.key] !== OWNER_METADATA.value || typeof key !== 'string') continue;
      if (!job.submission_id || job.submission_id !== raySubmissionId(key)) continue;
      handles.push(toHandle(job.submission_id, key));
    }
    return handles.sort((a, b) => a.backendJobId.localeCompare(b.backendJobId));
  }

  private checkHandle(handle: BackendJobHandle): string {
    const submissionId = raySubmissionId(handle.idempotencyKey);
    if (handle.backend !== this.kind || handle.backendJobId !== submissionId) throw new WrongBackendHandleError(this.kind, handle);
    return submissionId;
  }

  private async observe(submissionId: string, job: RayJobDetails): Promise<BackendObservation> {
    const state = stateOf(job);
    const times = {
      ...(typeof job.start_time === 'number' && job.start_time > 0 ? { startedAt: new Date(job.start_time).toISOString() } : {}),
      ...(typeof job.end_time === 'number' && job.end_time > 0 ? { endedAt: new Date(job.end_time).toISOString() } : {}),
    };
    const exitCode = typeof job.driver_exit_code === 'number' ? { exitCode: job.driver_exit_code } : {};
    if (state === 'FAILED' || state === 'PREEMPTED') {
      const detail = [job.error_type, firstLine(job.message ?? '')].filter(Boolean).join(': ') || 'Ray reports FAILED';
      return {
        kind: 'state',
        state,
        ...(state === 'FAILED' ? { exitCode: job.driver_exit_code ?? 1 } : exitCode),
        detail,
        logTail: await this.failureTail(submissionId, job),
        ...times,
      };
    }
    const detail = job.message ? { detail: firstLine(job.message) } : {};
    return { kind: 'state', state, ...exitCode, ...detail, ...times };
  }

  /** The driver log's last lines; Ray's own message (which embeds a tail) when the log cannot be read. */
  private async failureTail(submissionId: string, job: RayJobDetails): Promise<string[]> {
    try {
      const lookup = await this.api.logs(submissionId);
      if (lookup.found && lookup.value !== '') return tail(lookup.value, LOG_TAIL_LINES);
    } catch (error) {
      if (!(error instanceof BackendUnreachableError)) throw error;
    }
    return tail(job.message ?? '', LOG_TAIL_LINES);
  }
}

/**
 * Ray substitutes `$NAME` and `${NAME}` in runtime_env env_vars with the node's environment, and deletes
 * `${NAME}` when the node has no such variable, so such a value would not reach the job as given. There is
 * no escape for it, hence a refusal rather than a silently different value.
 */
function refuseRayExpansion(env: Record<string, string>): void {
  const issues = Object.entries(env)
    .filter(([, value]) => /\$(\w|\{[^}]*\})/.test(value))
    .map(([name]) => `env.${name}: contains $NAME or \${...}, which Ray's runtime_env would replace`);
  if (issues.length > 0) throw new InvalidSubmitRequestError(issues);
}

function toHandle(submissionId: string, idempotencyKey: string): BackendJobHandle {
  return { backend: RAY, backendJobId: submissionId, idempotencyKey };
}

function tail(text: string, lines: number): string[] {
  if (lines <= 0) return [];
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all.slice(-lines);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').pop() ?? '';
}
