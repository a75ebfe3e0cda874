import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackendKind } from '@ballast/schema';
import type { Backend, BackendJobHandle, BackendObservation, LogsOptions, SubmitRequest } from '../backend.js';
import { BackendError, CorruptBackendStateError, LaunchFailedError, WrongBackendHandleError } from '../errors.js';
import { validateSubmitRequest } from '../validate-request.js';
import { TEMP_PREFIX, createJsonExclusive, writeJsonAtomic } from '../json-files.js';
import { LocalLayout, localJobId } from './layout.js';
import { LOG_TAIL_LINES, observeEnded } from './observe.js';
import { isSameProcessAlive, liveGroupMembers, readProcStat } from './proc.js';
import { readCancel, readClaim, readDecision, readExit, readRunner } from './records.js';
import type { ClaimRecord, LaunchDecision, LaunchSpec, RunnerRecord } from './records.js';
import { spawnRunner } from './spawn-runner.js';
import { tailLines } from '../tail.js';
import { terminateGroup } from './terminate.js';

export interface LocalBackendOptions {
  /** Where claims, runner records and logs live (e.g. BALLAST_HOME/backends/local). */
  stateDir: string;
  /**
   * How long a claim without a started runner is given before another submitter takes it over. It must
   * exceed the time a live submitter needs from claim to runner start (normally well under a second).
   */
  claimGraceMs?: number;
  /** Time between SIGTERM and SIGKILL on cancel. */
  cancelGraceMs?: number;
  /**
   * Environment every job starts from; the request's env is laid over it. Empty by default, so nothing
   * of the worker's environment (credentials included) leaks into jobs unless the caller passes it.
   */
  baseEnv?: Record<string, string>;
  /** Lines `logs` returns when no `tailLines` is given. */
  defaultLogLines?: number;
}

const POLL_MS = 25;
/** A runner that neither records itself nor exits in this time is reported as a failed launch. */
const RUNNER_START_TIMEOUT_MS = 30_000;
/** Takeovers chained by concurrent submitters end long before this; more means something is wrong. */
const MAX_CLAIM_ROUNDS = 20;

type ClaimOutcome = 'active' | 'retry';

/**
 * Runs jobs as local processes, exactly once per idempotency key, surviving crashes of the worker that
 * submits them. The protocol, all in files below `stateDir`:
 *
 * 1. The submitter creates `claims/<id>.json` exclusively; losing that race means adopting the winner.
 * 2. It writes the launch spec and starts `runner.js` detached. The runner first creates the launch's
 *    decision file exclusively ("started"), then writes `runner.json`, then runs the command and writes
 *    `exit.json`. The submitter then records the runner's pid and start time in the claim.
 * 3. A claim whose runner has not appeared within the grace period is taken over by creating the same
 *    decision file ("abandoned"). Exactly one side wins that race, so a slow runner can never start
 *    alongside its replacement. The stale claim is moved to `claims-stale/` and a new one created.
 */
export class LocalBackend implements Backend {
  readonly kind: BackendKind = 'local';
  private readonly layout: LocalLayout;
  private readonly claimGraceMs: number;
  private readonly cancelGraceMs: number;
  private readonly baseEnv: Record<string, string>;
  private readonly defaultLogLines: number;

  constructor(options: LocalBackendOptions) {
    this.layout = new LocalLayout(options.stateDir);
    this.claimGraceMs = options.claimGraceMs ?? 5_000;
    this.cancelGraceMs = options.cancelGraceMs ?? 5_000;
    this.baseEnv = { ...(options.baseEnv ?? {}) };
    this.defaultLogLines = options.defaultLogLines ?? 1_000;
  }

  async submit(request: SubmitRequest): Promise<{ handle: BackendJobHandle; adopted: boolean }> {
    validateSubmitRequest(request);
    const jobId = localJobId(request.idempotencyKey);
    await mkdir(this.layout.claimsDir, { recursive: true, mode: 0o700 });
    for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
      const claim: ClaimRecord = {
        version: 1,
        backendJobId: jobId,
        idempotencyKey: request.idempotencyKey,
        jobId: request.jobId,
        attemptId: request.attemptId,
        launchId: randomBytes(8).toString('hex'),
        claimedAt: new Date().toISOString(),
        claimant: { pid: process.pid, hostname: hostname() },
      };
      if (await createJsonExclusive(this.layout.claim(jobId), claim)) {
        const launched = await this.launch(request, claim);
        if (launched) return { handle: toHandle(claim), adopted: false };
        continue; // our launch lost to a takeover; adopt whatever replaced it
      }
      const existing = await readClaim(this.layout.claim(jobId));
      if (existing === null) continue; // moved away by a takeover in progress
      if (existing.idempotencyKey !== request.idempotencyKey) {
        throw new CorruptBackendStateError(this.layout.claim(jobId), `claim is for key ${existing.idempotencyKey}`);
      }
      if ((await this.settleClaim(existing)) === 'active') return { handle: toHandle(existing), adopted: true };
      await sleep(POLL_MS);
    }
    throw new LaunchFailedError(request.idempotencyKey, `claim still contended after ${MAX_CLAIM_ROUNDS} rounds`);
  }

  async findByKey(idempotencyKey: string): Promise<BackendJobHandle | null> {
    const claim = await readClaim(this.layout.claim(localJobId(idempotencyKey)));
    return claim ? toHandle(claim) : null;
  }

  async status(handle: BackendJobHandle): Promise<BackendObservation> {
    const jobId = this.checkHandle(handle);
    try {
      return await this.observe(jobId);
    } catch (error) {
      // Our own state being unreadable (EACCES, EIO, a vanished mount) says nothing about the job.
      if (!(error instanceof BackendError) && typeof (error as NodeJS.ErrnoException).code === 'string') {
        return { kind: 'unreachable', detail: `cannot read local backend state: ${(error as Error).message}` };
      }
      throw error;
    }
  }

  async cancel(handle: BackendJobHandle): Promise<void> {
    const jobId = this.checkHandle(handle);
    const claim = await readClaim(this.layout.claim(jobId));
    if (!claim) return;
    // The marker goes first: whatever is killed from here on reads as CANCELLED, not FAILED or LOST.
    await mkdir(this.layout.jobDir(jobId), { recursive: true, mode: 0o700 });
    await createJsonExclusive(this.layout.cancelMarker(jobId), { requestedAt: new Date().toISOString() });
    const runner = await this.runnerOrPreventLaunch(claim);
    if (runner) await terminateGroup(jobId, runner.pid, runner.startTime, this.cancelGraceMs);
  }

  async logs(handle: BackendJobHandle, options: LogsOptions = {}): Promise<string[]> {
    const jobId = this.checkHandle(handle);
    return tailLines(this.layout.outputLog(jobId), options.tailLines ?? this.defaultLogLines);
  }

  async listOwned(): Promise<BackendJobHandle[]> {
    let names: string[];
    try {
      names = await readdir(this.layout.claimsDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const handles: BackendJobHandle[] = [];
    for (const name of names.sort()) {
      if (name.startsWith(TEMP_PREFIX) || !name.endsWith('.json')) continue;
      const claim = await readClaim(`${this.layout.claimsDir}/${name}`);
      if (claim) handles.push(toHandle(claim));
    }
    return handles;
  }

  private checkHandle(handle: BackendJobHandle): string {
    const jobId = localJobId(handle.idempotencyKey);
    if (handle.backend !== this.kind || handle.backendJobId !== jobId) throw new WrongBackendHandleError(this.kind, handle);
    return jobId;
  }

  /** Starts the runner for a claim we created. False when a takeover won the launch before our runner did. */
  private async launch(request: SubmitRequest, claim: ClaimRecord): Promise<boolean> {
    const jobId = claim.backendJobId;
    const spec: LaunchSpec = {
      launchId: claim.launchId,
      command: [...request.command],
      env: { ...this.baseEnv, ...request.env },
      cwd: request.cwd,
    };
    let spawned: Awaited<ReturnType<typeof spawnRunner>>;
    try {
      await mkdir(request.outputDir, { recursive: true, mode: 0o700 });
      await writeJsonAtomic(this.layout.launchSpec(jobId, claim.launchId), spec);
      spawned = await spawnRunner(this.layout, jobId, claim.launchId);
    } catch (error) {
      // Nothing can have started: release the claim now rather than make the retry wait out the grace period.
      await this.abandon(claim);
      throw new LaunchFailedError(claim.idempotencyKey, (error as Error).message);
    }
    const { child, ended } = spawned;
    let exited: Awaited<typeof ended> | null = null;
    void ended.then((result) => (exited = result));
    const deadline = Date.now() + RUNNER_START_TIMEOUT_MS;
    for (;;) {
      const runner = await this.launchedRunner(claim);
      if (runner) {
        // The brief's source of truth for identity is /proc; runner.json is the fallback for a runner
        // that has already finished.
        const stat = child.pid === undefined ? null : await readProcStat(child.pid);
        const startTime = stat && stat.pid === runner.pid ? stat.startTime : runner.startTime;
        await this.recordRunner(claim, { ...runner, startTime });
        return true;
      }
      if (exited !== null) break;
      if (Date.now() >= deadline) {
        throw new LaunchFailedError(claim.idempotencyKey, `runner neither started nor exited within ${RUNNER_START_TIMEOUT_MS} ms`);
      }
      await sleep(POLL_MS);
    }
    // The runner ended without recording itself: it lost to a takeover, crashed, or never spawned.
    const decision = await readDecision(this.layout.launchDecision(jobId, claim.launchId));
    if (decision?.decision === 'abandoned') return false;
    if (decision?.decision === 'started') return true; // it crashed after deciding; status reports LOST
    await this.abandon(claim);
    const endedWith = exited as Awaited<typeof ended> | null;
    const why = endedWith?.error ? endedWith.error.message : `runner exited with ${endedWith?.code ?? endedWith?.signal}`;
    const tail = await tailLines(this.layout.outputLog(jobId), LOG_TAIL_LINES);
    throw new LaunchFailedError(claim.idempotencyKey, [why, ...tail].join('\n'));
  }

  /** runner.json, if it belongs to this claim's launch. */
  private async launchedRunner(claim: ClaimRecord): Promise<RunnerRecord | null> {
    const runner = await readRunner(this.layout.runnerRecord(claim.backendJobId));
    return runner && runner.launchId === claim.launchId ? runner : null;
  }

  /** Safe to rewrite: once a runner has decided "started", no takeover can replace this claim. */
  private async recordRunner(claim: ClaimRecord, runner: RunnerRecord): Promise<void> {
    if (claim.runner) return;
    await writeJsonAtomic(this.layout.claim(claim.backendJobId), {
      ...claim,
      runner: { pid: runner.pid, startTime: runner.startTime },
    } satisfies ClaimRecord);
  }

  /** Decides a launch as abandoned; if that wins, moves the claim away so a new one can be made. */
  private async abandon(claim: ClaimRecord): Promise<boolean> {
    const jobId = claim.backendJobId;
    const decision: LaunchDecision = { decision: 'abandoned', by: process.pid, at: new Date().toISOString() };
    if (!(await createJsonExclusive(this.layout.launchDecision(jobId, claim.launchId), decision))) return false;
    await mkdir(this.layout.staleClaimsDir, { recursive: true, mode: 0o700 });
    await rename(this.layout.claim(jobId), `${this.layout.staleClaimsDir}/${jobId}.${claim.launchId}.json`);
    return true;
  }

  /**
   * Waits until a claim made by someone else is either live (adopt it) or safely taken over (retry).
   * The grace period runs from the claim's creation, so a long-dead claimant costs no extra wait.
   */
  private async settleClaim(claim: ClaimRecord): Promise<ClaimOutcome> {
    if (claim.runner) return 'active';
    const jobId = claim.backendJobId;
    const deadline = Math.min(Date.parse(claim.claimedAt), Date.now()) + this.claimGraceMs;
    for (;;) {
      const runner = await this.launchedRunner(claim);
      if (runner) {
        await this.recordRunner(claim, runner);
        return 'active';
      }
      if (await readExit(this.layout.exitRecord(jobId))) return 'active';
      const decision = await readDecision(this.layout.launchDecision(jobId, claim.launchId));
      if (decision?.decision === 'abandoned') {
        // Abandoned by a cancel: the job is over, and re-submitting the key must not revive it.
        if (await readCancel(this.layout.cancelMarker(jobId))) return 'active';
        return 'retry';
      }
      if (decision?.decision === 'started') {
        // runner.json follows within milliseconds; if it never does, the runner died and status says LOST.
        if (Date.now() >= deadline + this.claimGraceMs) return 'active';
      } else if (Date.now() >= deadline) {
        if (await this.abandon(claim)) return 'retry';
        continue;
      }
      await sleep(POLL_MS);
    }
  }

  /**
   * For cancel: the runner to signal, or null once it is certain none will ever run the command. A
   * launch nobody has decided yet is decided "abandoned" here, so a late runner exits without starting.
   */
  private async runnerOrPreventLaunch(claim: ClaimRecord): Promise<{ pid: number; startTime: string } | null> {
    if (claim.runner) return claim.runner;
    const jobId = claim.backendJobId;
    const decision: LaunchDecision = { decision: 'abandoned', by: process.pid, at: new Date().toISOString() };
    if (await createJsonExclusive(this.layout.launchDecision(jobId, claim.launchId), decision)) return null;
    const current = await readDecision(this.layout.launchDecision(jobId, claim.launchId));
    if (current?.decision !== 'started') return null;
    const deadline = Date.now() + this.claimGraceMs;
    while (Date.now() < deadline) {
      const runner = await this.launchedRunner(claim);
      if (runner) return runner;
      await sleep(POLL_MS);
    }
    return null;
  }

  private async observe(jobId: string): Promise<BackendObservation> {
    const claim = await readClaim(this.layout.claim(jobId));
    if (!claim) return { kind: 'state', state: 'LOST', detail: 'the local backend has no claim for this key' };
    const outputLog = this.layout.outputLog(jobId);
    const cancel = await readCancel(this.layout.cancelMarker(jobId));
    const runner = await this.launchedRunner(claim);
    const exit = await readExit(this.layout.exitRecord(jobId));
    if (exit) return observeEnded(exit, runner, cancel, outputLog);

    const identity = claim.runner ?? (runner ? { pid: runner.pid, startTime: runner.startTime } : null);
    if (identity) {
      const startedAt = runner ? { startedAt: runner.startedAt } : {};
      if (await isSameProcessAlive(identity.pid, identity.startTime)) return { kind: 'state', state: 'RUNNING', ...startedAt };
      // It may have written exit.json and exited between our two reads.
      const lateExit = await readExit(this.layout.exitRecord(jobId));
      if (lateExit) return observeEnded(lateExit, runner, cancel, outputLog);
      if (cancel) return { kind: 'state', state: 'CANCELLED', detail: 'the runner was killed by cancel', ...startedAt };
      const orphans = await liveGroupMembers(identity.pid);
      const detail =
        `runner pid ${identity.pid} (start time ${identity.startTime}) is gone without an exit record` +
        (orphans.length > 0 ? `; processes ${orphans.join(', ')} of its group are still running` : '');
      return { kind: 'state', state: 'LOST', detail, logTail: await tailLines(outputLog, LOG_TAIL_LINES), ...startedAt };
    }

    if (cancel) return { kind: 'state', state: 'CANCELLED', detail: 'cancelled before the command started' };
    const decision = await readDecision(this.layout.launchDecision(jobId, claim.launchId));
    const age = Date.now() - Date.parse(claim.claimedAt);
    // Undecided and young: a submitter is launching it. Abandoned: a new claim is about to replace it.
    if (decision?.decision === 'abandoned' || (decision === null && age < this.claimGraceMs)) {
      return { kind: 'state', state: 'QUEUED', detail: 'launching' };
    }
    if (decision?.decision === 'started' && age < 2 * this.claimGraceMs) return { kind: 'state', state: 'QUEUED', detail: 'runner starting' };
    return {
      kind: 'state',
      state: 'LOST',
      detail:
        `claimed at ${claim.claimedAt} but no runner recorded itself` +
        (decision === null ? '; submitting the same key again takes the claim over and launches' : ''),
      logTail: await tailLines(outputLog, LOG_TAIL_LINES),
    };
  }
}

function toHandle(claim: ClaimRecord): BackendJobHandle {
  return { backend: 'local', backendJobId: claim.backendJobId, idempotencyKey: claim.idempotencyKey };
}
