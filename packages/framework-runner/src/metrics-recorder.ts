import { appendMetrics } from '@ballast/job-contract';
import type { NativeCheckpoint } from '@ballast/frameworks';
import type { FrameworkAdapter } from './adapters.js';

/**
 * Turns the framework's stdout lines into contract metrics. A logged step is numbered as the resume
 * step plus the count of step lines this attempt has read (the launch logs every step); lines are
 * appended in order, and the first write error is kept for the run to fail on.
 */
export class MetricsRecorder {
  /** The step numbers given to this attempt's lines, in order. */
  private readonly assigned: number[] = [];
  private writes: Promise<void> = Promise.resolve();
  private warned = false;
  error: unknown = null;

  constructor(
    private readonly adapter: FrameworkAdapter,
    private readonly outputDir: string,
    private readonly resumedFromStep: number,
    private readonly log: (line: string) => void,
  ) {}

  /** The last step a metrics line was read for (the resume step before any). */
  get lastStep(): number {
    return this.assigned.at(-1) ?? this.resumedFromStep;
  }

  /** Reads one stdout line; true when it was a logged step. */
  onLine(line: string): boolean {
    const parsed = this.adapter.parseLogLine(line);
    if (parsed?.kind !== 'step') return false;
    const step = this.resumedFromStep + this.assigned.length + 1;
    this.assigned.push(step);
    const time = new Date().toISOString();
    this.writes = this.writes
      .then(() => appendMetrics(this.outputDir, { step, time, metrics: parsed.metrics }))
      .catch((err: unknown) => {
        this.error ??= err;
      });
    return true;
  }

  /** Resolves once every line read so far is written. */
  async flush(): Promise<void> {
    await this.writes;
  }

  /**
   * Compares the numbering with the steps the framework itself logged up to a checkpoint (TRL's
   * trainer_state.json), and says once in the log when they differ, e.g. when a launch logs every
   * few steps rather than each.
   */
  async check(checkpoint: NativeCheckpoint): Promise<void> {
    if (this.warned) return;
    const logged = await this.adapter.loggedSteps(checkpoint);
    if (logged === null) return;
    const theirs = logged.filter((s) => s > this.resumedFromStep && s <= checkpoint.step);
    const ours = this.assigned.filter((s) => s <= checkpoint.step);
    if (theirs.length !== ours.length || theirs.some((s, i) => s !== ours[i])) {
      this.warned = true;
      this.log(
        `the framework logged training steps [${theirs.join(', ')}] up to checkpoint ${checkpoint.step}, and the runner numbered its metrics lines [${ours.join(', ')}]: metrics steps may be off (does the launch log every step?)`,
      );
    }
  }
}
