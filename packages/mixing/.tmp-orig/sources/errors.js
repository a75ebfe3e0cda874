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
};
/** Base class: every error source registration throws carries a stable `code`. */
export class SourceError extends Error {
}
/** Thrown when more of a source's non-blank lines are malformed than `maxMalformedRate` allows. */
export class MalformedSourceRateError extends SourceError {
    path;
    malformed;
    lines;
    rate;
    maxRate;
    sample;
    code = SourceErrorCode.malformedRate;
    constructor(path, malformed, lines, rate, maxRate, 
    /** The first malformed lines (at most 1000), in file order. */
    sample) {
        const shown = sample
            .slice(0, 5)
            .map((l) => `line ${l.line}: ${l.reason}`)
            .join('; ');
        const more = malformed > 5 ? `; and ${malformed - 5} more` : '';
        super(`source ${path}: ${malformed} of ${lines} lines are malformed (rate ${rate.toPrecision(3)} > ${maxRate}): ${shown}${more}`);
        this.path = path;
        this.malformed = malformed;
        this.lines = lines;
        this.rate = rate;
        this.maxRate = maxRate;
        this.sample = sample;
        this.name = 'MalformedSourceRateError';
    }
}
/** Thrown when the caller's AbortSignal fires before a registration is complete. */
export class SourceRegistrationAbortedError extends SourceError {
    path;
    reason;
    code = SourceErrorCode.aborted;
    constructor(path, reason) {
        super(`registration of ${path} aborted`);
        this.path = path;
        this.reason = reason;
        this.name = 'SourceRegistrationAbortedError';
    }
}
/** Thrown when a source is not in a format registration can read (or a Parquet file lacks a prompt column). */
export class UnsupportedSourceError extends SourceError {
    path;
    reason;
    code = SourceErrorCode.unsupported;
    constructor(path, reason) {
        super(`source ${path}: ${reason}`);
        this.path = path;
        this.reason = reason;
        this.name = 'UnsupportedSourceError';
    }
}
/** Thrown when a tag has more distinct values than a uint16 code can name. */
export class TooManyTagValuesError extends SourceError {
    path;
    tag;
    code = SourceErrorCode.tooManyTagValues;
    constructor(path, tag) {
        super(`source ${path}: tag '${tag}' has more than 65536 distinct values`);
        this.path = path;
        this.tag = tag;
        this.name = 'TooManyTagValuesError';
    }
}
/** Thrown when an index file does not match its registration. */
export class SourceIndexCorruptError extends SourceError {
    indexPath;
    detail;
    code = SourceErrorCode.indexCorrupt;
    constructor(indexPath, detail) {
        super(`index ${indexPath} ${detail}`);
        this.indexPath = indexPath;
        this.detail = detail;
        this.name = 'SourceIndexCorruptError';
    }
}
//# sourceMappingURL=errors.js.map