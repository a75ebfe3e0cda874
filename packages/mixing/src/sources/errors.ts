/**
 * Stable codes for the errors source registration throws. They sit beside MixingErrorCode rather than in
 * it because this module was built apart from errors.ts; the codes use the same MIX_ prefix.
 */
export const SourceErrorCode = {
  malformedRate: 'MIX_SOURCE_MALFORMED_RATE',
  aborted: 'MIX_SOURCE_ABORTED',
  unsupported: 'MIX_SOURCE_UNSUPPORTED',
  tooManyTagValues: 'MIX_SOURCE_TOO_MANY_TAG_VALUES',
  indexCorrupt: 'MIX_SOURCE_INDEX_CORRUPT',
} as const;
export type SourceErrorCode = (typeof SourceErrorCode)[keyof typeof SourceErrorCode];

export interface MalformedSample {
  /** 1-based line number in the original (decompressed) file. */
  readonly line: number;
  readonly reason: string;
}

/** Base class: every error source registration throws carries a stable `code`. */
export abstract class SourceError extends Error {
  abstract readonly code: SourceErrorCode;
}

/** Thrown when more of a source's non-blank lines are malformed than `maxMalformedRate` allows. */
export class MalformedSourceRateError extends SourceError {
  readonly code = SourceErrorCode.malformedRate;
  constructor(
    readonly path: string,
    readonly malformed: number,
    readonly lines: number,
    readonly rate: number,
    readonly maxRate: number,
    /** The first malformed lines (at most 1000), in file order. */
    readonly sample: readonly MalformedSample[],
  ) {
    const shown = sample
      .slice(0, 5)
      .map((l) => `line ${l.line}: ${l.reason}`)
      .join('; ');
    const more = malformed > 5 ? `; and ${malformed - 5} more` : '';
    super(`source ${path}: ${malformed} of ${lines} lines are malformed (rate ${rate.toPrecision(3)} > ${maxRate}): ${shown}${more}`);
    this.name = 'MalformedSourceRateError';
  }
}

/** Thrown when the caller's AbortSignal fires before a registration is complete. */
export class SourceRegistrationAbortedError extends SourceError {
  readonly code = SourceErrorCode.aborted;
  constructor(
    readonly path: string,
    readonly reason?: unknown,
  ) {
    super(`registration of ${path} aborted`);
    this.name = 'SourceRegistrationAbortedError';
  }
}

/** Thrown when a source is not in a format registration can read (or a Parquet file lacks a prompt column). */
export class UnsupportedSourceError extends SourceError {
  readonly code = SourceErrorCode.unsupported;
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`source ${path}: ${reason}`);
    this.name = 'UnsupportedSourceError';
  }
}

/** Thrown when a tag has more distinct values than a uint16 code can name. */
export class TooManyTagValuesError extends SourceError {
  readonly code = SourceErrorCode.tooManyTagValues;
  constructor(
    readonly path: string,
    readonly tag: string,
  ) {
    super(`source ${path}: tag '${tag}' has more than 65536 distinct values`);
    this.name = 'TooManyTagValuesError';
  }
}

/** Thrown when an index file does not match its registration. */
export class SourceIndexCorruptError extends SourceError {
  readonly code = SourceErrorCode.indexCorrupt;
  constructor(
    readonly indexPath: string,
    readonly detail: string,
  ) {
    super(`index ${indexPath} ${detail}`);
    this.name = 'SourceIndexCorruptError';
  }
}
