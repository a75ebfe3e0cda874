import { isTerminalJobState, type BackendKind, type JobState } from '@ballast/schema';
import type { Backend, BackendJobHandle, BackendObservation, LogsOptions, SubmitRequest } from '../backend.js';
import { BackendUnreachableError } from '../errors.js';

interface Job {
  handle: BackendJobHandle;
  request: SubmitRequest;
  observation: Extract<BackendObservation, { kind: 'state' }>;
  log: string[];
}

/**
 * A FAKE backend, for tests only: jobs are entries in a map and run nothing. It keeps the contract of
 * `Backend` that callers rely on (one job per idempotency key, adopted on a second submit; cancel makes a
 * job terminal; `unreachable` says nothing about a job) and lets a test move jobs through states, write
 * their logs and cut the control plane off. It is not a model of any real scheduler's timing; tests
 * that need a real one use LocalBackend, Slurm or Ray.
 */
export class InMemoryBackend implements Backend {
  private readonly jobs = new Map<string, Job>();
  private nextId = 1;
  private reachable = true;
  /** Every call, in order (`submit:<key>`, `status:<id>`, `cancel:<id>`, …), for event-order assertions. */
  readonly calls: string[] = [];

  constructor(readonly kind: BackendKind = 'local') {}

  async submit(request: SubmitRequest): Promise<{ handle: BackendJobHandle; adopted: boolean }> {
    this.calls.push(`submit:${request.idempotencyKey}`);
    this.assertReachable();
    const existing = this.jobs.get(request.idempotencyKey);
    if (existing) return { handle: existing.handle, adopted: true };
    const handle = { backend: this.kind, backendJobId: `mem-${this.nextId++}`, idempotencyKey: request.idempotencyKey };
    this.jobs.set(request.idempotencyKey, { handle, request, observation: { kind: 'state', state: 'QUEUED' }, log: [] });
    return { handle, adopted: false };
  }

  async findByKey(idempotencyKey: string): Promise<BackendJobHandle | null> {
    this.calls.push(`findByKey:${idempotencyKey}`);
    this.assertReachable();
    return this.jobs.get(idempotencyKey)?.handle ?? null;
  }

  async status(handle: BackendJobHandle): Promise<BackendObservation> {
    this.calls.push(`status:${handle.backendJobId}`);
    if (!this.reachable) return { kind: 'unreachable', detail: 'in-memory backend set unreachable' };
    return { ...this.job(handle).observation };
  }

  async cancel(handle: BackendJobHandle): Promise<void> {
    this.calls.push(`cancel:${handle.backendJobId}`);
    this.assertReachable();
    const job = this.job(handle);
    if (!isTerminalJobState(job.observation.state)) job.observation = { kind: 'state', state: 'CANCELLED', detail: 'cancelled on request' };
  }

  async logs(handle: BackendJobHandle, options: LogsOptions = {}): Promise<string[]> {
    this.calls.push(`logs:${handle.backendJobId}`);
    this.assertReachable();
    const log = this.job(handle).log;
    return options.tailLines !== undefined ? log.slice(-options.tailLines) : [...log];
  }

  async listOwned(): Promise<BackendJobHandle[]> {
    this.assertReachable();
    return [...this.jobs.values()].map((j) => j.handle);
  }

  // ---- test controls ----

  /** Sets what `status` answers for the job submitted under `key` (state, exit code, restarts…). */
  set(key: string, observation: Omit<Extract<BackendObservation, { kind: 'state' }>, 'kind'>): void {
    this.byKey(key).observation = { kind: 'state', ...observation };
  }

  appendLog(key: string, ...lines: string[]): void {
    this.byKey(key).log.push(...lines);
  }

  /** What was submitted under `key`, or undefined. */
  submitted(key: string): SubmitRequest | undefined {
    return this.jobs.get(key)?.request;
  }

  stateOf(key: string): JobState | undefined {
    return this.jobs.get(key)?.observation.state;
  }

  setReachable(reachable: boolean): void {
    this.reachable = reachable;
  }

  private byKey(key: string): Job {
    const job = this.jobs.get(key);
    if (!job) throw new Error(`in-memory backend: nothing was submitted under ${key}`);
    return job;
  }

  private job(handle: BackendJobHandle): Job {
    const job = this.jobs.get(handle.idempotencyKey);
    if (!job || job.handle.backendJobId !== handle.backendJobId) throw new Error(`in-memory backend: no job ${handle.backendJobId}`);
    return job;
  }

  private assertReachable(): void {
    if (!this.reachable) throw new BackendUnreachableError('memory://', 'in-memory backend set unreachable');
  }
}
