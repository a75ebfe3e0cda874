/**
 * The index file: a 24-byte header (magic `BALIDX01`, record count and data-file size, each as two
 * little-endian uint32s, low word first), then one 26-byte row per record in file order:
 * offset (uint32 low, uint32 high), length (uint32), hashHi, hashLo (uint32), kind, trait, domain (uint16),
 * all little-endian.
 */
export declare const INDEX_MAGIC = "BALIDX01";
export declare const HEADER_BYTES = 24;
export declare const ROW_BYTES = 26;
/** Read access to the rows of an index (all of it, or one chunk). */
export interface SourceIndex {
    readonly records: number;
    /** Byte offset of record i in the registration's dataPath. */
    offset(i: number): number;
    /** Byte length of record i, without its line terminator. */
    length(i: number): number;
    /** Tag codes: indexes into the registration's dictionaries. */
    kind(i: number): number;
    trait(i: number): number;
    domain(i: number): number;
    /** The normalised content hash, high and low 32 bits. */
    hashHi(i: number): number;
    hashLo(i: number): number;
}
export declare function writeRow(out: Buffer, at: number, offset: number, length: number, hashHi: number, hashLo: number, kind: number, trait: number, domain: number): void;
export declare function indexHeader(records: number, dataBytes: number): Buffer;
interface IndexedRegistration {
    readonly indexPath: string;
    readonly records: number;
}
/** Reads the whole index into memory (26 bytes per record). */
export declare function openSourceIndex(reg: IndexedRegistration): Promise<SourceIndex>;
/**
 * Streams the index in chunks of `chunkRecords` rows; memory stays at one chunk. Each chunk's accessors
 * take chunk-relative indexes; `firstRecord` is the chunk's first record number. The chunk is only valid
 * until `fn` returns (or its promise settles).
 */
export declare function forEachIndexChunk(reg: IndexedRegistration, chunkRecords: number, fn: (chunk: SourceIndex, firstRecord: number) => void | Promise<void>): Promise<void>;
export {};
//# sourceMappingURL=index-file.d.ts.map