/**
 * Stable codes for the errors source registration throws. They sit beside MixingErrorCode rather than in
 * it because this module was built apart from errors.ts; the codes use the same MIX_ prefix.
 */
export declare const SourceErrorCode: {
    readonly malformedRate: "MIX_SOURCE_MALFORMED_RATE";
    readonly aborted: "MIX_SOURCE_ABORTED";
    readonly unsupported: "MIX_SOURCE_UNSUPPORTED";
    readonly tooManyTagValues: "MIX_SOURCE_TOO_MANY_TAG_VALUES";
    readonly indexCorrupt: "MIX_SOURCE_INDEX_CORRUPT";
};
export type SourceErrorCode = (typeof SourceErrorCode)[keyof typeof SourceErrorCode];
export interface MalformedSample {
    /** 1-based line number in the original (decompressed) file. */
    readonly line: number;
    readonly reason: string;
}
/** Base class: every error source registration throws carries a stable `code`. */
export declare abstract class SourceError extends Error {
    abstract readonly code: SourceErrorCode;
}
/** Thrown when more of a source's non-blank lines are malformed than `maxMalformedRate` allows. */
export declare class MalformedSourceRateError extends SourceError {
    readonly path: string;
    readonly malformed: number;
    readonly lines: number;
    readonly rate: number;
    readonly maxRate: number;
    /** The first malformed lines (at most 1000), in file order. */
    readonly sample: readonly MalformedSample[];
    readonly code: "MIX_SOURCE_MALFORMED_RATE";
    constructor(path: string, malformed: number, lines: number, rate: number, maxRate: number, 
    /** The first malformed lines (at most 1000), in file order. */
    sample: readonly MalformedSample[]);
}
/** Thrown when the caller's AbortSignal fires before a registration is complete. */
export declare class SourceRegistrationAbortedError extends SourceError {
    readonly path: string;
    readonly reason?: unknown | undefined;
    readonly code: "MIX_SOURCE_ABORTED";
    constructor(path: string, reason?: unknown | undefined);
}
/** Thrown when a source is not in a format registration can read (or a Parquet file lacks a prompt column). */
export declare class UnsupportedSourceError extends SourceError {
    readonly path: string;
    readonly reason: string;
    readonly code: "MIX_SOURCE_UNSUPPORTED";
    constructor(path: string, reason: string);
}
/** Thrown when a tag has more distinct values than a uint16 code can name. */
export declare class TooManyTagValuesError extends SourceError {
    readonly path: string;
    readonly tag: string;
    readonly code: "MIX_SOURCE_TOO_MANY_TAG_VALUES";
    constructor(path: string, tag: string);
}
/** Thrown when an index file does not match its registration. */
export declare class SourceIndexCorruptError extends SourceError {
    readonly indexPath: string;
    readonly detail: string;
    readonly code: "MIX_SOURCE_INDEX_CORRUPT";
    constructor(indexPath: string, detail: string);
}
//# sourceMappingURL=errors.d.ts.map