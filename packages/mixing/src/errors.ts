/** Stable codes for the errors this package throws; callers switch on these, not on messages. */
export const MixingErrorCode = {
  componentShort: 'MIX_COMPONENT_SHORT',
  malformedSource: 'MIX_MALFORMED_SOURCE',
  invalidMix: 'MIX_INVALID_SPEC',
  unknownDataset: 'MIX_UNKNOWN_DATASET',
  sourceDigestMismatch: 'MIX_SOURCE_DIGEST_MISMATCH',
  sourceChanged: 'MIX_SOURCE_CHANGED',
  aborted: 'MIX_ABORTED',
  nativeCopyUnavailable: 'MIX_NATIVE_COPY_UNAVAILABLE',
} as const;
export type MixingErrorCode = (typeof MixingErrorCode)[keyof typeof MixingErrorCode];

/** Base class: every error this package throws carries a stable `code`. */
export abstract class MixingError extends Error {
  abstract readonly code: MixingErrorCode;
}

/** Thrown when a component has fewer eligible records than the mix requests from it. */
export class MixComponentShortError extends MixingError {
  readonly code = MixingErrorCode.componentShort;
  constructor(
    readonly component: string,
    readonly dataset: string,
    readonly requested: number,
    readonly eligible: number,
  ) {
    super(
      `component '${component}' needs ${requested} records from dataset '${dataset}' but only ${eligible} are eligible ` +
        '(after its filter and after earlier components took the records they match)',
    );
    this.name = 'MixComponentShortError';
  }
}

export interface MalformedLine {
  /** 1-based line number in the source file. */
  readonly line: number;
  readonly reason: string;
}

/** Thrown when a source has lines that are not JSON records with the tags the mixer filters on. */
export class MalformedSourceError extends MixingError {
  readonly code = MixingErrorCode.malformedSource;
  constructor(
    readonly dataset: string,
    readonly path: string,
    readonly lines: readonly MalformedLine[],
  ) {
    const shown = lines
      .slice(0, 5)
      .map((l) => `line ${l.line}: ${l.reason}`)
      .join('; ');
    const more = lines.length > 5 ? `; and ${lines.length - 5} more` : '';
    super(`dataset '${dataset}' (${path}) has ${lines.length} malformed line(s): ${shown}${more}`);
    this.name = 'MalformedSourceError';
  }
}

/** Thrown when a mix is not a valid ResolvedMix or its fractions do not sum to 1. */
export class InvalidMixError extends MixingError {
  readonly code = MixingErrorCode.invalidMix;
  constructor(readonly reason: string) {
    super(`invalid mix: ${reason}`);
    this.name = 'InvalidMixError';
  }
}

/** Thrown when a mix component draws from a dataset for which no source was given. */
export class UnknownDatasetError extends MixingError {
  readonly code = MixingErrorCode.unknownDataset;
  constructor(
    readonly component: string,
    readonly dataset: string,
    readonly known: readonly string[],
  ) {
    super(
      `component '${component}' draws from dataset '${dataset}', but no source was given for it ` +
        `(have: ${known.join(', ') || 'none'})`,
    );
    this.name = 'UnknownDatasetError';
  }
}

/** Thrown when a source file's bytes do not hash to the sha256 it was registered with. */
export class SourceDigestMismatchError extends MixingError {
  readonly code = MixingErrorCode.sourceDigestMismatch;
  constructor(
    readonly dataset: string,
    readonly path: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`dataset '${dataset}' (${path}) hashes to sha256 ${actual}, but was registered as ${expected}`);
    this.name = 'SourceDigestMismatchError';
  }
}

/** Thrown when a source file changes between the scan and the copy (a record is no longer where it was). */
export class SourceChangedError extends MixingError {
  readonly code = MixingErrorCode.sourceChanged;
  constructor(
    readonly dataset: string,
    readonly path: string,
  ) {
    super(`dataset '${dataset}' (${path}) changed while the mix was being built`);
    this.name = 'SourceChangedError';
  }
}

/** Thrown when the caller's AbortSignal fires before the mix is complete. */
export class MixAbortedError extends MixingError {
  readonly code = MixingErrorCode.aborted;
  constructor(readonly reason?: unknown) {
    super('mix build aborted');
    this.name = 'MixAbortedError';
  }
}

/** `copyMode: 'native'` (worker.mixCopy) was asked for where the native copy is not built. */
export class NativeCopyUnavailableError extends MixingError {
  readonly code = MixingErrorCode.nativeCopyUnavailable;
  constructor() {
    super("copy mode 'native' (worker.mixCopy, BALLAST_MIX_COPY) needs the native copy, which is not built here (see docs/mixing.md, 'The native copy'); use 'auto' or 'node'");
    this.name = 'NativeCopyUnavailableError';
  }
}
