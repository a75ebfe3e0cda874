import { type TagSchema } from './tag-schema.js';
export interface RangeTask {
    readonly dataPath: string;
    /** Byte range [start, end); start is 0 or just past an LF, end is the file size or just past an LF. */
    readonly start: number;
    readonly end: number;
    readonly tagSchema: TagSchema;
    readonly indexPart: string;
    readonly quarantinePart: string;
}
export interface RangeResult {
    /** Lines in the range, blank ones included; the range's line numbers are local (1-based). */
    readonly lines: number;
    readonly records: number;
    readonly malformed: number;
    /** Local tag code → value, in order of first appearance; the index part holds local codes. */
    readonly dict: {
        kind: string[];
        trait: (string | null)[];
        domain: string[];
    };
    readonly counts: {
        kind: number[];
        trait: number[];
        domain: number[];
    };
}
export declare const READ_CHUNK: number;
/** Scans one byte range of a canonical JSONL file, writing index rows and quarantine lines to part files. */
export declare function scanRange(task: RangeTask, onChunk?: (bytes: number, records: number) => void): RangeResult;
//# sourceMappingURL=scan-range.d.ts.map