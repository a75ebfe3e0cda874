import { formatFieldIssues, type FieldIssue } from '@ballast/schema';

export const HARNESS_ERROR_CODES = {
  /** The harness run failed: its log says so, it exited non-zero, or it left out what a run writes. */
  runFailed: 'HARNESS_RUN_FAILED',
  /** The harness's output is there but says something this package cannot turn into scores. */
  logInvalid: 'HARNESS_LOG_INVALID',
  /** A benchmark entry file cannot be read or does not describe a benchmark. */
  entryFileInvalid: 'BENCHMARK_ENTRY_FILE_INVALID',
  /** A pressure condition cannot be applied to a benchmark with its harness. */
  pressureUnsupported: 'HARNESS_PRESSURE_UNSUPPORTED',
} as const;
export type HarnessErrorCode = (typeof HARNESS_ERROR_CODES)[keyof typeof HARNESS_ERROR_CODES];

export type HarnessKindName = 'inspect' | 'lm-eval';

/** Why a harness run counts as failed. */
export type HarnessFailure = 'failed-log' | 'exited' | 'missing-output';

/** Thrown when a harness run failed; the message carries the harness's own words, never a silent zero. */
export class HarnessRunError extends Error {
  readonly code = HARNESS_ERROR_CODES.runFailed;
  override readonly name = 'HarnessRunError';

  private constructor(
    message: string,
    readonly harness: HarnessKindName,
    readonly failure: HarnessFailure,
    /** What the harness itself said (inspect's `error.message`, the last lines it printed), or what is missing. */
    readonly harnessMessage: string,
    /** The log or output directory the failure was found in, when there is one. */
    readonly location: string | null,
    /** The benchmark ref (`id@version`) it was running, once known. */
    readonly benchmark: string | null = null,
  ) {
    super(benchmark === null ? message : `${benchmark}: ${message}`);
  }

  /** The harness wrote a log that says the run did not succeed. */
  static failedLog(harness: HarnessKindName, location: string, status: string, harnessMessage: string): HarnessRunError {
    return new HarnessRunError(`${harness} run ended with status '${status}': ${harnessMessage} (log ${location})`, harness, 'failed-log', harnessMessage, location);
  }

  /** The harness process exited non-zero (or was killed, or did not start) before its output could be read. */
  static exited(harness: HarnessKindName, how: string, harnessMessage: string): HarnessRunError {
    const said = harnessMessage === '' ? 'it printed nothing' : harnessMessage;
    return new HarnessRunError(`${harness} ${how}: ${said}`, harness, 'exited', harnessMessage, null);
  }

  /** A file or entry that a finished run writes is not there. */
  static missing(harness: HarnessKindName, location: string, what: string): HarnessRunError {
    return new HarnessRunError(`${harness} output in ${location} is incomplete: ${what}`, harness, 'missing-output', what, location);
  }

  /** The same failure, its message led by the benchmark it happened in. */
  forBenchmark(ref: string): HarnessRunError {
    const message = this.benchmark === null ? this.message : this.message.slice(this.benchmark.length + 2);
    return new HarnessRunError(message, this.harness, this.failure, this.harnessMessage, this.location, ref);
  }
}

/** Thrown when a harness's log is present but cannot be turned into per-item scores; names the sample or line. */
export class HarnessLogError extends Error {
  readonly code = HARNESS_ERROR_CODES.logInvalid;
  override readonly name = 'HarnessLogError';

  constructor(
    readonly harness: HarnessKindName,
    /** The log file. */
    readonly location: string,
    /** The sample (inspect `id`/`epoch`) or line (lm-eval `doc_id`) at fault, or `(file)`. */
    readonly at: string,
    readonly problem: string,
    /** The benchmark ref (`id@version`) it was read for, once known. */
    readonly benchmark: string | null = null,
  ) {
    super(`${benchmark === null ? '' : `${benchmark}: `}${harness} log ${location}, ${at}: ${problem}`);
  }

  /** The same problem, its message led by the benchmark it happened in. */
  forBenchmark(ref: string): HarnessLogError {
    return new HarnessLogError(this.harness, this.location, this.at, this.problem, ref);
  }
}

/** Thrown when a benchmark entry file cannot be read or is not a valid entry; `issues` name every failing field. */
export class BenchmarkEntryFileError extends Error {
  readonly code = HARNESS_ERROR_CODES.entryFileInvalid;
  override readonly name = 'BenchmarkEntryFileError';

  constructor(
    readonly path: string,
    readonly issues: readonly FieldIssue[],
  ) {
    super(`invalid benchmark entry file ${path}:\n${formatFieldIssues(issues)}`);
  }
}

/**
 * Thrown when a pressure condition cannot be applied to a benchmark's task with its harness (the
 * combination has no clean mechanism, or the task's own definition rules it out); names both.
 */
export class HarnessPressureError extends Error {
  readonly code = HARNESS_ERROR_CODES.pressureUnsupported;
  override readonly name = 'HarnessPressureError';

  constructor(
    readonly harness: HarnessKindName,
    /** The pressure condition's kind (`system-message`, `prompt-wrapper`). */
    readonly kind: string,
    /** The harness's task (a file, a registered name, an lm-eval task name). */
    readonly task: string,
    readonly reason: string,
  ) {
    super(`${harness} cannot apply pressure of kind '${kind}' to task '${task}': ${reason}`);
  }
}

export function isHarnessRunError(error: unknown): error is HarnessRunError {
  return error instanceof HarnessRunError;
}
