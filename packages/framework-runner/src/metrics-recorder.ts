import { appendMetrics } from '@ballast/job-contract';
import type { NativeCheckpoint } from '@ballast/frameworks';
import type { FrameworkAdapter } from './adapters.js';
import type { FrameworkLogLine } from './metrics.js';

/** How many unreadable metrics lines are reported one by one before the rest are only counted. */
const UNREADABLE_REPORTED = 5;
const EXCERPT_CHARS = 200;

/**
 * Turns the framework's logged steps (stdout lines, or lines of its metrics file) into contract
 * metrics. A step is numbered as the framework numbers it where the line says, else as the resume
 * step plus the count of step lines this attempt has read (the launch logs every step); a numbered
 * step at or before the resume step belongs to an earlier attempt and is skipped. Lines are appended
 * in order, so a step logged again (a resumed run appending) is superseded by its later line, as
 * readers take the last line per step. An unreadable line is skipped with a warning; the first write
 * error is kept for the run to fail on.
 */
export class MetricsRecorder {
  /** The step numbers given to this attempt's lines, in order. */
  private readonly assigned: number[] = [];
  private counted = 0;
  private highest: number;
  private writes: Promise<void> = Promise.resolve();
  private warned = false;
  private unreadable = 0;
  error: unknown = null;

  constructor(
    private readonly adapter: FrameworkAdapter,
    private readonly outputDir: string,
    private readonly resumedFromStep: number,
    private readonly log: (line: string) => void,
  ) {
    this.highest = resumedFromStep;
  }

  /** The highest step a metrics line was read for (the resume step before any). */
  get lastStep(): number {
    return this.highest;
  }

  /** Reads one stdout line; true when it was a logged step. */
  onLine(line: string): boolean {
    return this.accept(this.adapter.parseLogLine(line), line, 'stdout');
  }

  /** Takes one parsed line (`from` says where it came from, for warnings); true when it was a logged step recorded. */
  accept(parsed: FrameworkLogLine | null, line: string, from: string): boolean {
    if (parsed === null || parsed.kind === 'summary') return false;
    if (parsed.kind === 'unreadable') {
      this.warnUnreadable(parsed.reason, line, from);
      return false;
    }
    let step: number;
    if (parsed.step === undefined) {
      this.counted += 1;
      step = this.resumedFromStep + this.counted;
    } else {
      if (parsed.step <= this.resumedFromStep) return false;
      step = parsed.step;
    }
    this.assigned.push(step);
    this.highest = Math.max(this.highest, step);
    this.write(step, parsed.metrics);
    return true;
  }

  /**
   * Records a step at or before the resume step that an earlier attempt's framework logged but its
   * runner never recorded (it died first while training went on to a checkpoint).
   */
  recordMissed(step: number, metrics: Record<string, number>): void {
    this.write(step, metrics);
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

  private write(step: number, metrics: Record<string, number>): void {
    const time = new Date().toISOString();
    this.writes = this.writes
      .then(() => appendMetrics(this.outputDir, { step, time, metrics }))
      .catch((err: unknown) => {
        this.error ??= err;
      });
  }

  private warnUnreadable(reason: string, line: string, from: string): void {
    this.unreadable += 1;
    if (this.unreadable > UNREADABLE_REPORTED + 1) return;
    if (this.unreadable === UNREADABLE_REPORTED + 1) {
      this.log(`skipping more unreadable metrics lines from ${from} without reporting each`);
      return;
    }
    const text = line.trim();
    const excerpt = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
    this.log(`skipped an unreadable metrics line from ${from} (${reason}): ${JSON.stringify(excerpt)}`);
  }
}
