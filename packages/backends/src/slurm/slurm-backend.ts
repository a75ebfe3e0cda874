import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackendKind } from '@ballast/schema';
import type { Backend, BackendJobHandle, LogsOptions } from '../backend.js';
import {
  BackendUnreachableError,
  CancelTimeoutError,
  InvalidSubmitRequestError,
  LaunchFailedError,
  WrongBackendHandleError,
} from '../errors.js';
import { createJsonExclusive, readJsonFile, writeJsonAtomic } from '../json-files.js';
import { tailLines } from '../tail.js';
import { validateSubmitRequest } from '../validate-request.js';
import { describe, execFileRunner, isUnknownJob, looksUnreachable, unreachable } from './cli.js';
import type { CommandResult, CommandRunner } from './cli.js';
import { parseJobcompLog, parseScontrolJob } from './job-record.js';
import type { SlurmJobRecord } from './job-record.js';
import { JOB_NAME_PREFIX, SlurmLayout, keyComment, keyFromComment, slurmJobName } from './layout.js';
import { LOG_TAIL_LINES, isTerminal, observeRecord } from './observe.js';
import type { SlurmObservation } from './observe.js';
import { rayLaunchSpec } from './ray-on-slurm.js';
import { BATCH_SCRIPT, sbatchArgv, slurmRequestIssues } from './sbatch.js';
import type { SlurmSubmitRequest } from './sbatch.js';

// BackendKind gains 'slurm' when the schema package does; until then the value is cast here only.
const SLURM_KIND: BackendKind = 'slurm';

/** dist/slurm/runner.js, next to this file once compiled. */
const DEFAULT_RUNNER_PATH = fileURLToPath(new URL('./runner.js', import.meta.url));
const DEFAULT_RAY_RUNNER_PATH = fileURLToPath(new URL('./ray-on-slurm-runner.js', import.meta.url));
const DEFAULT_CLI_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface SlurmBackendOptions {
  /**
   * Where batch scripts, launch specs and job logs go. The cluster's nodes must see it at the same path
   * (a shared filesystem); launch specs hold jobs' environments and are written 0600.
   */
  stateDir: string;
  /** SLURM_CONF for the CLI; the CLI's own default when absent. */
  slurmConf?: string;
  partition?: string;
  account?: string;
  qos?: string;
  /** How Slurm commands are run; by default execFile without a shell, with a timeout. */
  commandRunner?: CommandRunner;
  /** PATH under which the Slurm CLI is found. */
  cliPath?: string;
  /** Node binary on the compute nodes; this process's by default (same host or shared install). */
  nodePath?: string;
  /** runner.js as the compute nodes see it; this package's by default. */
  runnerPath?: string;
  /** ray-on-slurm-runner.js as the compute nodes see it, for requests with `distributed`; this package's by default. */
  rayRunnerPath?: string;
  /**
   * The jobcomp/filetxt log, read after the controller has forgotten a job. Undefined: asked of
   * `scontrol show config` once. Null: there is none, and a forgotten job reads LOST.
   */
  jobCompLog?: string | null;
  /** How long cancel waits for the job to become terminal. */
  cancelTimeoutMs?: number;
  /** Lines `logs` returns when no `tailLines` is given. */
  defaultLogLines?: number;
}

const POLL_MS = 250;

/**
 * Runs jobs on a Slurm cluster through its CLI (sbatch, squeue, scontrol, scancel), exactly once per
 * idempotency key.
 *
 * - The key names the job (`slurmJobName`) and rides, encoded, in its comment. Every submit looks the
 *   name up first (squeue, then the completion log) and adopts what it finds.
 * - Two submitters racing past that lookup both submit, but held: each then lists the name, and only the
 *   lowest job id is released and kept; the other is cancelled before it could ever run. A submitter that
 *   died before releasing leaves a held job, which the next submit with that key adopts and releases.
 * - Only "Invalid job id specified" counts as Slurm not knowing a job. Any other failure to get an answer
 *   is `unreachable`, never a state, and submit/findByKey/listOwned throw BackendUnreachableError rather
 *   than answer "nothing there".
 */
export class SlurmBackend implements Backend {
  readonly kind: BackendKind = SLURM_KIND;
  private readonly layout: SlurmLayout;
  private readonly runCommand: CommandRunner;
  private readonly cliEnv: Record<string, string>;
  private readonly nodePath: string;
  private readonly runnerPath: string;
  private readonly rayRunnerPath: string;
  private readonly cancelTimeoutMs: number;
  private readonly defaultLogLines: number;
  private jobCompLog: string | null | undefined;

  constructor(private readonly options: SlurmBackendOptions) {
    this.layout = new SlurmLayout(options.stateDir);
    this.runCommand = options.commandRunner ?? execFileRunner();
    this.cliEnv = { PATH: options.cliPath ?? DEFAULT_CLI_PATH, ...(options.slurmConf ? { SLURM_CONF: options.slurmConf } : {}) };
    this.nodePath = options.nodePath ?? process.execPath;
    this.runnerPath = options.runnerPath ?? DEFAULT_RUNNER_PATH;
    this.rayRunnerPath = options.rayRunnerPath ?? DEFAULT_RAY_RUNNER_PATH;
    this.cancelTimeoutMs = options.cancelTimeoutMs ?? 60_000;
    this.defaultLogLines = options.defaultLogLines ?? 1_000;
    this.jobCompLog = options.jobCompLog;
  }

  async submit(request: SlurmSubmitRequest): Promise<{ handle: BackendJobHandle; adopted: boolean }> {
    validateSubmitRequest(request, { multiNode: true });
    const issues = slurmRequestIssues(request);
    if (issues.length > 0) throw new InvalidSubmitRequestError(issues);
    const key = request.idempotencyKey;
    const jobName = slurmJobName(key);

    const existing = await this.lowestJobId(jobName);
    if (existing !== null) {
      await this.releaseIfHeld(existing);
      return { handle: this.handle(existing, key), adopted: true };
    }

    const launchId = randomBytes(8).toString('hex');
    const specPath = this.layout.launchSpec(jobName, launchId);
    try {
      await mkdir(request.outputDir, { recursive: true });
      await mkdir(this.layout.jobDir(jobName), { recursive: true });
      await createJsonExclusive(this.layout.keyRecord(jobName), { idempotencyKey: key });
      await this.ensureBatchScript();
      const spec = request.distributed
        ? rayLaunchSpec(request, request.distributed, this.cliEnv['PATH']!)
        : { command: [...request.command], env: { ...request.env }, cwd: request.cwd };
      await writeJsonAtomic(specPath, spec);
    } catch (error) {
      throw new LaunchFailedError(key, (error as Error).message);
    }
    const argv = sbatchArgv(
      request,
      { partition: this.options.partition, account: this.options.account, qos: this.options.qos },
      {
        jobName,
        comment: keyComment(key),
        jobDir: this.layout.jobDir(jobName),
        outputLog: this.layout.outputLog(jobName),
        batchScript: this.layout.batchScript,
        scriptArgs: [this.nodePath, request.distributed ? this.rayRunnerPath : this.runnerPath, specPath],
      },
    );
    const result = await this.run(argv);
    // sbatch may have submitted even when it reports a lost connection; the retry's lookup adopts that.
    if (result.code !== 0) {
      if (looksUnreachable(result)) throw unreachable('sbatch', describe(result));
      throw new LaunchFailedError(key, `sbatch refused the job: ${describe(result)}`);
    }
    const ownId = /^(\d+)/.exec(result.stdout.trim())?.[1];
    if (!ownId) throw new LaunchFailedError(key, `sbatch printed no job id: ${JSON.stringify(result.stdout)}`);

    const queued = await this.queuedJobIds(jobName);
    const winner = [ownId, ...queued].sort(byJobId)[0] ?? ownId;
    if (winner === ownId) {
      await this.release(ownId);
      return { handle: this.handle(ownId, key), adopted: false };
    }
    // Another submitter's job came first: ours is still held, so cancelling it means it never ran.
    const cancelled = await this.run(['scancel', ownId]);
    if (cancelled.code !== 0 && !isUnknownJob(cancelled)) throw unreachable('scancel', describe(cancelled));
    await this.releaseIfHeld(winner);
    return { handle: this.handle(winner, key), adopted: true };
  }

  async findByKey(idempotencyKey: string): Promise<BackendJobHandle | null> {
    const jobId = await this.lowestJobId(slurmJobName(idempotencyKey));
    return jobId === null ? null : this.handle(jobId, idempotencyKey);
  }

  async status(handle: BackendJobHandle): Promise<SlurmObservation> {
    const jobName = this.checkHandle(handle);
    try {
      return await this.observe(handle.backendJobId, jobName, handle);
    } catch (error) {
      if (error instanceof BackendUnreachableError) return { kind: 'unreachable', detail: error.message };
      throw error;
    }
  }

  /** Idempotent. Returns once Slurm reports the job terminal (its processes killed), or throws. */
  async cancel(handle: BackendJobHandle): Promise<void> {
    this.checkHandle(handle);
    const deadline = Date.now() + this.cancelTimeoutMs;
    let sent = false;
    for (;;) {
      const observation = await this.status(handle);
      if (isTerminal(observation)) return;
      if (!sent && observation.kind === 'state') {
        const result = await this.run(['scancel', handle.backendJobId]);
        sent = result.code === 0 || isUnknownJob(result);
      }
      if (Date.now() >= deadline) {
        if (observation.kind === 'unreachable') throw unreachable('scancel', observation.detail);
        throw new CancelTimeoutError(handle.backendJobId, observation.state, this.cancelTimeoutMs);
      }
      await sleep(POLL_MS);
    }
  }

  async logs(handle: BackendJobHandle, options: LogsOptions = {}): Promise<string[]> {
    const jobName = this.checkHandle(handle);
    return tailLines(this.layout.outputLog(jobName), options.tailLines ?? this.defaultLogLines);
  }

  /**
   * Ballast's jobs that Slurm knows: everything squeue lists under a Ballast name whose comment carries
   * the matching key, plus completed jobs in the completion log whose key this state dir recorded. One
   * handle per key (the kept, lowest job id). Throws BackendUnreachableError rather than list partially.
   */
  async listOwned(): Promise<BackendJobHandle[]> {
    const result = await this.run(['squeue', '--noheader', '--states=all', '--format=%i|%j|%k']);
    if (result.code !== 0) throw unreachable('squeue', describe(result));
    const byName = new Map<string, { key: string; jobId: string }>();
    const keep = (jobName: string, key: string, jobId: string) => {
      const known = byName.get(jobName);
      if (!known || byJobId(jobId, known.jobId) < 0) byName.set(jobName, { key, jobId });
    };
    for (const line of result.stdout.split('\n')) {
      const [jobId, jobName, comment] = line.trim().split('|');
      if (!jobId || !/^\d+$/.test(jobId) || !jobName?.startsWith(JOB_NAME_PREFIX)) continue;
      const key = keyFromComment(comment ?? '');
      if (key !== null && slurmJobName(key) === jobName) keep(jobName, key, jobId);
    }
    const completed = await this.completionRecords();
    if (completed) {
      const keys = await this.recordedKeys();
      for (const record of completed.values()) {
        const key = keys.get(record.jobName);
        if (key !== undefined) keep(record.jobName, key, record.jobId);
      }
    }
    return [...byName.values()].sort((a, b) => byJobId(a.jobId, b.jobId)).map(({ key, jobId }) => this.handle(jobId, key));
  }

  private handle(backendJobId: string, idempotencyKey: string): BackendJobHandle {
    return { backend: this.kind, backendJobId, idempotencyKey };
  }

  /** The job name the handle's key maps to; refuses handles of other backends. */
  private checkHandle(handle: BackendJobHandle): string {
    if (handle.backend !== this.kind || !/^\d+$/.test(handle.backendJobId)) throw new WrongBackendHandleError(this.kind, handle);
    return slurmJobName(handle.idempotencyKey);
  }

  private run(argv: readonly string[]): Promise<CommandResult> {
    return this.runCommand(argv, this.cliEnv);
  }

  private async observe(jobId: string, jobName: string, handle: BackendJobHandle): Promise<SlurmObservation> {
    const logTail = () => tailLines(this.layout.outputLog(jobName), LOG_TAIL_LINES);
    const result = await this.run(['scontrol', '-o', 'show', 'job', jobId]);
    let record: SlurmJobRecord | null = null;
    if (result.code === 0) {
      record = parseScontrolJob(result.stdout, jobId);
    } else if (!isUnknownJob(result)) {
      return { kind: 'unreachable', detail: `scontrol: ${describe(result)}` };
    }
    if (record === null) {
      const completed = await this.completionRecords();
      if (completed === null) {
        return { kind: 'state', state: 'LOST', detail: `Slurm no longer knows job ${jobId} and keeps no completion log` };
      }
      record = completed.get(jobId) ?? null;
      if (record === null) {
        return { kind: 'state', state: 'LOST', detail: `neither the controller nor the completion log knows job ${jobId}`, logTail: await logTail() };
      }
    }
    if (record.jobName !== jobName) throw new WrongBackendHandleError(this.kind, handle);
    return observeRecord(record, logTail);
  }

  /** squeue's job ids for a name, in every state it still remembers. */
  private async queuedJobIds(jobName: string): Promise<string[]> {
    const result = await this.run(['squeue', '--noheader', '--states=all', `--name=${jobName}`, '--format=%i']);
    if (result.code !== 0) throw unreachable('squeue', describe(result));
    return result.stdout
      .split('\n')
      .map((line) => line.trim())
      .filter((id) => /^\d+$/.test(id));
  }

  /** The job kept for a name: the lowest id squeue lists, else the lowest in the completion log. */
  private async lowestJobId(jobName: string): Promise<string | null> {
    const queued = await this.queuedJobIds(jobName);
    if (queued.length > 0) return queued.sort(byJobId)[0] ?? null;
    const completed = await this.completionRecords();
    if (!completed) return null;
    const ids = [...completed.values()].filter((r) => r.jobName === jobName).map((r) => r.jobId);
    return ids.sort(byJobId)[0] ?? null;
  }

  /** Releases a job held by its submit (our `--hold`); a no-op for any other state. */
  private async releaseIfHeld(jobId: string): Promise<void> {
    const result = await this.run(['scontrol', '-o', 'show', 'job', jobId]);
    if (result.code !== 0) {
      if (isUnknownJob(result)) return;
      throw unreachable('scontrol', describe(result));
    }
    const record = parseScontrolJob(result.stdout, jobId);
    if (record?.state === 'PENDING' && record.reason === 'JobHeldUser') await this.release(jobId);
  }

  private async release(jobId: string): Promise<void> {
    const result = await this.run(['scontrol', 'release', jobId]);
    if (result.code !== 0 && looksUnreachable(result)) throw unreachable('scontrol release', describe(result));
  }

  /** Every job's last completion record, or null when the cluster keeps no jobcomp/filetxt log. */
  private async completionRecords(): Promise<Map<string, SlurmJobRecord> | null> {
    const path = await this.completionLogPath();
    if (path === null) return null;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map(); // nothing has completed yet
      throw unreachable('jobcomp', `cannot read ${path}: ${(error as Error).message}`);
    }
    return parseJobcompLog(text);
  }

  private async completionLogPath(): Promise<string | null> {
    if (this.jobCompLog !== undefined) return this.jobCompLog;
    const result = await this.run(['scontrol', 'show', 'config']);
    if (result.code !== 0) throw unreachable('scontrol show config', describe(result));
    const setting = (name: string) => new RegExp(`^${name}\\s*=\\s*(\\S+)`, 'm').exec(result.stdout)?.[1];
    this.jobCompLog = setting('JobCompType') === 'jobcomp/filetxt' ? (setting('JobCompLoc') ?? null) : null;
    return this.jobCompLog;
  }

  /** job name → key, from the key records this state dir wrote before submitting. */
  private async recordedKeys(): Promise<Map<string, string>> {
    const keys = new Map<string, string>();
    let names: string[];
    try {
      names = await readdir(this.layout.jobsDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return keys;
      throw error;
    }
    for (const jobName of names) {
      const record = (await readJsonFile(this.layout.keyRecord(jobName))) as { idempotencyKey?: unknown } | null;
      if (typeof record?.idempotencyKey === 'string' && slurmJobName(record.idempotencyKey) === jobName) keys.set(jobName, record.idempotencyKey);
    }
    return keys;
  }

  private async ensureBatchScript(): Promise<void> {
    const path = this.layout.batchScript;
    try {
      if ((await readFile(path, 'utf8')) === BATCH_SCRIPT) return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(tmp, BATCH_SCRIPT, { mode: 0o755 });
    await rename(tmp, path);
  }
}

function byJobId(a: string, b: string): number {
  return Number(a) - Number(b);
}
