import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ContractInputError, readJobSpec, type ContractProgramContext, type Progress } from '@ballast/job-contract';
import { FrameworkTrainJobSpec } from '@ballast/schema';
import { FRAMEWORK_ADAPTERS } from './adapters.js';
import { CheckpointCommitter, removeCommitDebris } from './committer.js';
import { recordEnvironment } from './environment.js';
import { FrameworkRunnerError } from './errors.js';
import { startFramework, type FrameworkProcess } from './framework-process.js';
import { MetricsFileFollower } from './metrics-file.js';
import { MetricsRecorder } from './metrics-recorder.js';
import { stopEarlierAttempt, writeProcessRecord } from './process-record.js';
import { decideResume } from './resume.js';

/** How often complete native checkpoints are looked for while the framework runs. */
export const POLL_INTERVAL_MS = 1_000;
/** How long the framework gets to stop after SIGTERM when the runner is stopped. */
export const STOP_GRACE_MS = 15_000;

export interface RunFrameworkOptions {
  /** The runner's environment (the contract's variables and whatever the backend set). */
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (line: string) => void;
  /** How long an earlier attempt's processes get after SIGTERM before SIGKILL. */
  readonly earlierAttemptGraceMs?: number;
}

/**
 * The framework runner's body, run under `runContractProgram`: stops what an earlier attempt left
 * running, commits what it left complete, resumes from the latest committed checkpoint through the
 * framework's own resume, starts the launch in a process group of its own, and while it runs commits
 * each complete native checkpoint (converted to a Hugging Face directory where the framework saves
 * another layout) and appends the framework's metrics. SIGTERM or SIGINT stop the framework and fail the job.
 */
export async function runFrameworkJob(ctx: ContractProgramContext, options: RunFrameworkOptions = {}): Promise<{ progress: Progress }> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`ballast framework-runner: ${line}\n`));
  const { outputDir, jobSpecPath, attemptId } = ctx.env;
  const spec = await readJobSpec(jobSpecPath, FrameworkTrainJobSpec);
  const adapter = FRAMEWORK_ADAPTERS[spec.framework];

  const stopper = new StopSignals();
  let follower: MetricsFileFollower | null = null;
  try {
    await mkdir(outputDir, { recursive: true });
    const earlier = await stopEarlierAttempt(outputDir, { log, ...(options.earlierAttemptGraceMs !== undefined ? { graceMs: options.earlierAttemptGraceMs } : {}) });
    if (earlier !== 'unreachable') await removeCommitDebris(outputDir, log);

    let recorder: MetricsRecorder | null = null;
    const committer = new CheckpointCommitter({ spec, adapter, outputDir, log, env, onCommitted: async (checkpoint) => recorder?.check(checkpoint) });
    const resume = await decideResume({ resumeFrom: ctx.env.resumeFrom, outputDir, spec, sweep: () => committer.sweep(false) });
    const argv = [...spec.launch.argv];
    if (resume !== null) {
      argv.push(...adapter.resumeArgs(resume.reference, spec, jobSpecPath));
      log(`resuming from checkpoint step ${resume.step} (${resume.reference.nativePath})`);
    } else {
      log('starting fresh: no committed checkpoint to resume from');
    }
    const metrics = new MetricsRecorder(adapter, outputDir, resume?.step ?? 0, log);
    recorder = metrics;
    const progress = (): Progress => ({
      step: Math.max(metrics.lastStep, committer.lastStep() ?? 0),
      checkpoints: committer.count(),
      ...(resume !== null ? { resumedFromStep: resume.step } : {}),
    });
    // Before the framework starts, so that what an earlier attempt's framework wrote is set aside first.
    const metricsFile = adapter.metricsFile(spec);
    if (metricsFile !== null) {
      follower = await MetricsFileFollower.start({
        source: metricsFile,
        recorder: metrics,
        outputDir,
        attemptId,
        resumedFromStep: resume?.step ?? 0,
        intervalMs: POLL_INTERVAL_MS,
        log,
      });
      log(`reading ${spec.framework}'s metrics from ${metricsFile.path}`);
    }
    ctx.setProgress(progress());
    stopper.throwIfStopped();

    await writeProcessRecord(outputDir, attemptId, null);
    const framework = await startFramework({
      argv,
      cwd: spec.launch.cwd,
      // Unbuffered, so each logged step reaches the runner (and the job log) when it happens.
      env: { ...env, PYTHONUNBUFFERED: '1', ...spec.launch.env },
      onStdoutLine: (line) => {
        if (metrics.onLine(line)) ctx.setProgress(progress());
      },
    });
    if (framework.pid === null) {
      const how = await framework.exit;
      const why = how.kind === 'not-started' ? `${how.errorCode}: ${how.message}` : 'no process id';
      throw ContractInputError.badFile(jobSpecPath, [{ path: 'launch.argv.0', message: `could not be started (${why})` }]);
    }
    await writeProcessRecord(outputDir, attemptId, { pid: framework.pid, startTime: framework.startTime });
    log(`started ${spec.framework} as process group ${framework.pid}: ${argv.join(' ')}`);
    stopper.onStop(() => framework.stopGroup(STOP_GRACE_MS, log));

    // Probed while the framework starts: the probe imports the same heavy libraries, on the other core.
    let environmentError: unknown = null;
    const environment = recordEnvironment(spec, jobSpecPath, outputDir, env, log).catch((err: unknown) => {
      environmentError = err;
      return null;
    });

    const failure = await watch(framework, committer, () => environmentError ?? metrics.error, () => ctx.setProgress(progress()));
    if (failure !== null) {
      await framework.stopGroup(STOP_GRACE_MS, log);
      await framework.exit;
      throw failure;
    }
    const exit = await framework.exit;
    // A stop in progress is already taking the whole group down.
    await stopper.settled();
    await stopRemnants(framework, log);
    await follower?.stop();
    await metrics.flush();
    ctx.setProgress(progress());
    stopper.throwIfStopped();
    await environment;
    if (environmentError !== null) throw environmentError;
    if (metrics.error !== null) throw metrics.error;
    if (exit.kind === 'exited' && exit.code === 0) {
      await committer.sweep(false);
      const last = committer.lastStep();
      if (last !== spec.steps) throw FrameworkRunnerError.stepsShort(last, spec.steps);
      log(`${spec.framework} finished: ${committer.count()} checkpoints committed, the last at step ${last}`);
      return { progress: { ...progress(), step: last } };
    }
    // What it finished before failing is still worth committing and evaluating.
    await committer.sweep(false).catch((err: unknown) => log(`final checkpoint sweep failed: ${(err as Error).message}`));
    ctx.setProgress(progress());
    const how = exit.kind === 'exited' && exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.kind === 'exited' ? exit.code : '?'}`;
    throw FrameworkRunnerError.frameworkFailed(how, framework.stderrTail());
  } finally {
    follower?.cancel();
    stopper.dispose();
  }
}

/**
 * Commits checkpoints every POLL_INTERVAL_MS until the framework exits; returns the error that must
 * stop it early (a failed commit or conversion, a bad environment, a metrics write), or null.
 */
async function watch(
  framework: FrameworkProcess,
  committer: CheckpointCommitter,
  pendingError: () => unknown,
  onProgress: () => void,
): Promise<unknown> {
  let exited = false;
  void framework.exit.then(() => (exited = true));
  while (!exited) {
    await Promise.race([sleep(POLL_INTERVAL_MS), framework.exit]);
    if (exited) break;
    try {
      await committer.sweep(true);
    } catch (err) {
      return err;
    }
    onProgress();
    const err = pendingError();
    if (err !== null) return err;
  }
  return null;
}

/** A framework leader that exited may leave workers behind in its group: they must not keep writing. */
async function stopRemnants(framework: FrameworkProcess, log: (line: string) => void): Promise<void> {
  const left = await framework.liveMembers();
  if (left.length === 0) return;
  log(`the framework's leader exited, but pids ${left.join(', ')} of its group still run`);
  const survivors = await framework.stopGroup(STOP_GRACE_MS, log);
  if (survivors.length > 0) throw FrameworkRunnerError.earlierAttemptAlive(survivors);
}

/** SIGTERM and SIGINT to the runner: remembered, and answered by stopping the framework. */
class StopSignals {
  private signal: NodeJS.Signals | null = null;
  private action: (() => Promise<unknown>) | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private readonly handler = (signal: NodeJS.Signals) => {
    if (this.signal !== null) return;
    this.signal = signal;
    if (this.action !== null) this.running = this.action().catch(() => undefined);
  };

  constructor() {
    process.on('SIGTERM', this.handler);
    process.on('SIGINT', this.handler);
  }

  /** What to do on a signal from now on (at once, if one came already). */
  onStop(action: () => Promise<unknown>): void {
    this.action = action;
    // A stop that fails leaves processes behind, which the check for remnants after the exit finds.
    if (this.signal !== null) this.running = action().catch(() => undefined);
  }

  get stopped(): boolean {
    return this.signal !== null;
  }

  throwIfStopped(): void {
    if (this.signal !== null) throw FrameworkRunnerError.terminated(this.signal);
  }

  /** Waits for a stop in progress to finish. */
  async settled(): Promise<void> {
    await this.running;
  }

  dispose(): void {
    process.off('SIGTERM', this.handler);
    process.off('SIGINT', this.handler);
  }
}
