import { type TagSchema } from './tag-schema.js';
export type LineVerdict = 'record' | 'blank' | 'malformed';
/** Scans lines; after `scan` returns 'record', the span and hash fields describe that record. */
export declare class RecordScanner {
    private readonly schema;
    private buf;
    private pos;
    private end;
    private h1;
    private h2;
    private readonly root;
    /** Value spans [start, end) in the buffer of the fields, by Field number; -1 when absent. */
    readonly spanStart: Float64Array<ArrayBuffer>;
    readonly spanEnd: Float64Array<ArrayBuffer>;
    hashHi: number;
    hashLo: number;
    reason: string;
    constructor(schema: TagSchema);
    /** Classifies buf[start, end), a line without its terminator; invalid UTF-8 must be ruled out first. */
    scan(buf: Uint8Array, start: number, end: number): LineVerdict;
    private checkFields;
    private fail;
    /** Rare path: lets JSON.parse word the reason. */
    private malformedValue;
    private skipWs;
    private expect;
    private parseValue;
    private literal;
    private parseNumber;
    private sa;
    private sb;
    private sw;
    private swn;
    private slen;
    /** Adds normalised bytes one at a time (escapes, single spaces); `hashRun` is the fast path. */
    private hashByte;
    /** Adds buf[p, q): bytes > 0x20 other than quote and backslash, and single interior spaces. */
    private hashRun;
    /** Called with pos just past the opening quote; leaves pos just past the closing one. */
    private parseString;
    private readonly escBytes;
    private escLength;
    /**
     * Decodes the escape at buf[p] (a backslash) into escBytes as UTF-8 (lone surrogates in their 3-byte
     * form, as WTF-8 writes them); returns the position after it.
     */
    private unescape;
    private hex4;
    private parseArray;
    private parseObject;
    /** Index of the trie key equal to the decoded key buf[start, end), or -1. */
    private matchKey;
}
//# sourceMappingURL=record-scanner.d.ts.map