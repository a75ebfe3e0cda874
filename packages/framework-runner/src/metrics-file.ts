import { mkdir, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readLatestMetrics } from '@ballast/job-contract';
import { FileTail } from './file-tail.js';
import type { FrameworkLogLine } from './metrics.js';
import type { MetricsRecorder } from './metrics-recorder.js';

/** A file a framework appends its per-step metrics to, one line per step, and how to read a line. */
export interface MetricsFileSource {
  /** Absolute. */
  readonly path: string;
  readonly parseLine: (line: string) => FrameworkLogLine | null;
}

export interface FollowMetricsFileInput {
  readonly source: MetricsFileSource;
  readonly recorder: MetricsRecorder;
  /** The job's OUTPUT, whose metrics say what an earlier attempt recorded. */
  readonly outputDir: string;
  readonly attemptId: string;
  /** The committed step this attempt resumes from (0 when fresh). */
  readonly resumedFromStep: number;
  readonly intervalMs: number;
  readonly log: (line: string) => void;
}

/**
 * Follows a framework's metrics file into contract metrics while the framework runs. Started before
 * the framework: the file an earlier attempt's framework left is set aside (renamed, so that a
 * framework that opens it for writing, as verl's file logger does with "wb", starts a new file rather
 * than truncating one being read), and the steps it logged up to the resume step that the contract
 * metrics lack (its runner died while training went on to a checkpoint) are recorded first.
 */
export class MetricsFileFollower {
  private readonly tail: FileTail;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> = Promise.resolve();
  private stopped = false;

  private constructor(private readonly input: FollowMetricsFileInput) {
    const { source, recorder, log } = input;
    this.tail = new FileTail(source.path, (line) => recorder.accept(source.parseLine(line), line, source.path), log);
  }

  static async start(input: FollowMetricsFileInput): Promise<MetricsFileFollower> {
    await mkdir(dirname(input.source.path), { recursive: true });
    await setAsideEarlier(input);
    const follower = new MetricsFileFollower(input);
    follower.schedule();
    return follower;
  }

  /** Stops polling and reads the file to its end (call once the framework has exited). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.cancel();
    await this.reading;
    await this.tail.finish();
  }

  /** Stops polling without reading further (the run is failing anyway). */
  cancel(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.reading = this.tail
        .poll()
        .catch((err: unknown) => this.input.log(`reading ${this.input.source.path} failed: ${(err as Error).message}`))
        .finally(() => {
          if (!this.stopped) this.schedule();
        });
    }, this.input.intervalMs);
    this.timer.unref();
  }
}

/** Never fails the run: metrics are worth a warning, not a failed training job. */
async function setAsideEarlier(input: FollowMetricsFileInput): Promise<void> {
  const { source, recorder, outputDir, attemptId, resumedFromStep, log } = input;
  let text: string;
  try {
    text = await readFile(source.path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`cannot read the earlier attempt's metrics file ${source.path}: ${(err as Error).message}`);
    return;
  }
  const recordedUpTo = (await readLatestMetrics(outputDir))?.step ?? 0;
  const missed = new Map<number, Record<string, number>>();
  for (const line of text.split('\n')) {
    const parsed = source.parseLine(line);
    // The last line per step wins, as in the contract file.
    if (parsed?.kind === 'step' && parsed.step !== undefined && parsed.step > recordedUpTo && parsed.step <= resumedFromStep) missed.set(parsed.step, parsed.metrics);
  }
  const steps = [...missed.keys()].sort((a, b) => a - b);
  for (const step of steps) recorder.recordMissed(step, missed.get(step)!);
  const aside = `${source.path}.before-${attemptId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  try {
    await rename(source.path, aside);
  } catch (err) {
    log(`cannot move the earlier attempt's metrics file ${source.path} aside (${(err as Error).message}); the framework may overwrite it in place`);
    return;
  }
  const recorded = steps.length > 0 ? `; recorded steps ${steps.join(', ')} from it, which the earlier attempt had not` : '';
  log(`moved the earlier attempt's metrics file to ${aside}${recorded}`);
}
