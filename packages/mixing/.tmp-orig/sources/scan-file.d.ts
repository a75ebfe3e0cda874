import { type MalformedSample } from './errors.js';
import type { TagSchema } from './tag-schema.js';
export declare const MAX_SAMPLE = 1000;
export interface ScanFileOptions {
    readonly dataPath: string;
    readonly tagSchema: TagSchema;
    readonly threads: number;
    /** Scratch directory for the per-range part files. */
    readonly workDir: string;
    readonly indexPath: string;
    readonly quarantinePath: string;
    readonly signal?: AbortSignal;
    readonly onProgress?: (bytes: number, records: number) => void;
}
export interface ScanOutcome {
    readonly dataBytes: number;
    readonly records: number;
    /** Non-blank lines: records plus malformed. */
    readonly nonBlankLines: number;
    readonly malformed: {
        count: number;
        sample: MalformedSample[];
    };
    readonly quarantineWritten: boolean;
    readonly dictionaries: {
        kind: string[];
        trait: (string | null)[];
        domain: string[];
    };
    readonly tagCounts: {
        kind: Record<string, number>;
        trait: Record<string, number>;
        domain: Record<string, number>;
    };
}
/**
 * Indexes a canonical JSONL file with `threads` workers, one byte range each (ranges start on line
 * starts), then merges their parts in file order. Tag codes are numbered by first appearance in the
 * file and line numbers are global, so the index is byte-identical whatever the thread count.
 */
export declare function scanDataFile(o: ScanFileOptions): Promise<ScanOutcome>;
//# sourceMappingURL=scan-file.d.ts.map