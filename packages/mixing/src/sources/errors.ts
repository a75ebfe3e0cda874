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
  unknownTagValue: 'MIX_SOURCE_UNKNOWN_TAG_VALUE',
} as const;
export type SourceErrorCode = (typeof SourceErrorCode)[keyof typeof SourceErrorCode];

export interface MalformedSample {
  /** 1-based line number in the original (decompressed) file. */
  readonly line: number;
  /** Why the line was quarantined; it names byte positions, and quotes at most a short escaped excerpt. */
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

/**
 * Thrown when a record's kind, trait or domain is neither in the built-in vocabulary nor declared for
 * the dataset (`tagValues`). It fails the registration rather than quarantining the record: an unknown
 * value is nearly always a vocabulary typo that every such record shares, and a filter would silently
 * treat it as some other value (`notIn: [healthcare]` lets `health` in).
 */
export class UnknownTagValueError extends SourceError {
  readonly code = SourceErrorCode.unknownTagValue;
  constructor(
    readonly path: string,
    readonly tag: 'kind' | 'trait' | 'domain',
    /** The field's path in the record, e.g. `tags.domain`. */
    readonly field: string,
    /** The value, escaped and cut to a short excerpt. */
    readonly value: string,
    /** 1-based line of the first record that has it. */
    readonly line: number,
    readonly suggestion: string | null,
  ) {
    const hint = suggestion === null ? '' : `; did you mean '${suggestion}'?`;
    super(
      `source ${path} line ${line}: '${field}' is '${value}', which is not an allowed value${hint} ` +
        `(allowed: the built-in vocabulary plus the dataset's tagValues.${tag})`,
    );
    this.name = 'UnknownTagValueError';
  }
}
