export declare const SourceFormat: {
    readonly jsonl: "jsonl";
    readonly gzip: "jsonl.gz";
    readonly zstd: "jsonl.zst";
    readonly parquet: "parquet";
};
export type SourceFormat = (typeof SourceFormat)[keyof typeof SourceFormat];
/** By extension first (.jsonl/.json, .gz, .zst/.zstd, .parquet), then by magic bytes; JSONL otherwise. */
export declare function detectFormat(path: string): Promise<SourceFormat>;
type Progress = (bytes: number, totalBytes: number) => void;
export declare function sha256OfFile(path: string, signal?: AbortSignal, onProgress?: Progress): Promise<string>;
/** Stream-decompresses a gzip or zstd file into `dest` verbatim; returns the compressed file's sha256. */
export declare function decompressTo(format: 'jsonl.gz' | 'jsonl.zst', path: string, dest: string, signal?: AbortSignal, onProgress?: Progress): Promise<string>;
/**
 * Writes each Parquet row as one JSON line (all columns, in schema order), one row group at a time so
 * memory stays at one group. Returns the Parquet file's sha256.
 */
export declare function parquetTo(path: string, dest: string, signal?: AbortSignal, onProgress?: Progress): Promise<string>;
export {};
//# sourceMappingURL=formats.d.ts.map