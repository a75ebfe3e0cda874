import { type MalformedSample } from './errors.js';
import { SourceFormat } from './formats.js';
import { type TagSchema } from './tag-schema.js';
export interface RegisterSourceOptions {
    path: string;
    /** 'auto' (the default) goes by extension, then by magic bytes. */
    format?: SourceFormat | 'auto';
    tagSchema?: Partial<TagSchema>;
    /** Where registrations live: one subdirectory per content sha256 (and non-default tag schema). */
    storeDir: string;
    /** Malformed share of non-blank lines above which registration fails; default 0.01. */
    maxMalformedRate?: number;
    /** Worker threads for the scan; default min(2, availableParallelism()). The index is the same for any value. */
    threads?: number;
    signal?: AbortSignal;
    /** `totalBytes` is the file's size, then, for a compressed or Parquet source, its canonical copy's. */
    onProgress?: (p: {
        bytes: number;
        totalBytes: number;
        records: number;
    }) => void;
}
export interface FileIdentity {
    size: number;
    mtimeMs: number;
    ino: number;
}
export interface SourceRegistration {
    /** 'src_' + the first 24 hex digits of sha256. */
    sourceId: string;
    /** Of the original file's bytes. */
    sha256: string;
    format: SourceFormat;
    path: string;
    /** Of the original file. */
    bytes: number;
    records: number;
    malformed: {
        count: number;
        rate: number;
        sample: MalformedSample[];
    };
    /** JSONL of {line, reason, text} for every malformed line; null when there are none. */
    quarantinePath: string | null;
    /** Canonical JSONL the index points into: the file itself for plain JSONL, else a copy in the store. */
    dataPath: string;
    indexPath: string;
    tagSchema: TagSchema;
    /** Tag code → value, codes numbered by first appearance in the file. */
    dictionaries: {
        kind: string[];
        trait: (string | null)[];
        domain: string[];
    };
    /** Records per tag value; a null trait is counted under 'none'. */
    tagCounts: {
        kind: Record<string, number>;
        trait: Record<string, number>;
        domain: Record<string, number>;
    };
    fileIdentity: FileIdentity;
}
export declare const REGISTRATION_FILE = "registration.json";
/**
 * Registers a source: hashes it, scans it once and writes a compact index beside a registration.json.
 * A file whose size, mtime and inode match what the store recorded for its path is not read again.
 */
export declare function registerSource(o: RegisterSourceOptions): Promise<SourceRegistration>;
//# sourceMappingURL=register.d.ts.map