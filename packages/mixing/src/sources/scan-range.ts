import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { bytesExcerpt } from './excerpt.js';
import { ROW_BYTES } from './index-file.js';
import { RecordScanner } from './record-scanner.js';
import { Field, type TagSchema } from './tag-schema.js';

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
  readonly dict: { kind: (string | null)[]; trait: (string | null)[]; domain: string[] };
  readonly counts: { kind: number[]; trait: number[]; domain: number[] };
}

export const READ_CHUNK = 16 << 20;
/**
 * A longer line is quarantined without being held whole: a file with no line breaks (a sparse or
 * zero-filled file, a binary) would otherwise be read into one ever-growing buffer.
 */
export const MAX_LINE_BYTES = 64 << 20;
/** Owner-only: part files hold excerpts of the source. */
const FILE_MODE = 0o600;
const LF = 0x0a;
const CR = 0x0d;

/** Raw-byte entries remembered per tag field, so the usual value costs a short byte compare, not a string. */
const RAW_CACHE = 64;

class TagDictionary<T extends string | null> {
  readonly values: T[] = [];
  readonly counts: number[] = [];
  private readonly codes = new Map<T, number>();
  /** Raw value bytes (between the quotes, escapes as written) → code, for up to RAW_CACHE spellings. */
  private readonly raw: Uint8Array[] = [];
  private readonly rawCodes: number[] = [];

  code(value: T): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.codes.set(value, code);
      this.values.push(value);
      this.counts.push(0);
    }
    this.counts[code]! += 1;
    return code;
  }

  /** The code of the JSON string at b[s, e) (quotes included). */
  codeOfString(b: Buffer, s: number, e: number): number {
    const from = s + 1;
    const len = e - 1 - from;
    const raw = this.raw;
    outer: for (let i = 0; i < raw.length; i++) {
      const r = raw[i]!;
      if (r.length !== len) continue;
      for (let j = 0; j < len; j++) if (r[j] !== b[from + j]) continue outer;
      const code = this.rawCodes[i]!;
      this.counts[code]! += 1;
      return code;
    }
    const text = b.toString('utf8', from, e - 1);
    const code = this.code((text.includes('\\') ? JSON.parse(b.toString('utf8', s, e)) : text) as T);
    if (raw.length < RAW_CACHE) {
      raw.push(new Uint8Array(b.subarray(from, e - 1))); // a copy: the read buffer is reused
      this.rawCodes.push(code);
    }
    return code;
  }
}

/** Scans one byte range of a canonical JSONL file, writing index rows and quarantine lines to part files. */
export function scanRange(task: RangeTask, onChunk?: (bytes: number, records: number) => void): RangeResult {
  const scanner = new RecordScanner(task.tagSchema);
  const kinds = new TagDictionary<string | null>();
  const traits = new TagDictionary<string | null>();
  const domains = new TagDictionary<string>();
  const fd = openSync(task.dataPath, 'r');
  const indexFd = openSync(task.indexPart, 'w', FILE_MODE);
  const quarantineFd = openSync(task.quarantinePart, 'w', FILE_MODE);
  let buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, Math.max(task.end - task.start, 1)));
  let rows = Buffer.allocUnsafe(1 << 20);
  let rowView = new DataView(rows.buffer, rows.byteOffset, rows.length);
  let rowBytes = 0;
  let lines = 0;
  let records = 0;
  let malformed = 0;
  let quarantine: string[] = [];

  const line = (b: Buffer, s: number, e: number, fileOffset: number, utf8Checked: boolean): void => {
    lines += 1;
    if (fileOffset === 0 && e - s >= 3 && b[s] === 0xef && b[s + 1] === 0xbb && b[s + 2] === 0xbf) {
      s += 3;
      fileOffset += 3;
    }
    if (e > s && b[e - 1] === CR) e -= 1;
    let verdict: 'record' | 'blank' | 'malformed';
    if (!utf8Checked && !isUtf8(b.subarray(s, e))) {
      verdict = 'malformed';
      scanner.reason = 'not valid UTF-8';
    } else verdict = scanner.scan(b, s, e);
    if (verdict === 'blank') return;
    if (verdict === 'malformed') {
      malformed += 1;
      quarantine.push(JSON.stringify({ line: lines, reason: scanner.reason, text: bytesExcerpt(b, s, e) }));
      return;
    }
    records += 1;
    const span0 = scanner.spanStart;
    const span1 = scanner.spanEnd;
    const traitStart = span0[Field.trait]!;
    const trait = b[traitStart] === 0x6e ? traits.code(null) : traits.codeOfString(b, traitStart, span1[Field.trait]!);
    const kindStart = span0[Field.kind]!;
    const kind = kindStart < 0 || b[kindStart] === 0x6e ? kinds.code(null) : kinds.codeOfString(b, kindStart, span1[Field.kind]!);
    const domain = domains.codeOfString(b, span0[Field.domain]!, span1[Field.domain]!);
    if (rowBytes + ROW_BYTES > rows.length) {
      const grown = Buffer.allocUnsafe(rows.length * 2);
      rows.copy(grown, 0, 0, rowBytes);
      rows = grown;
      rowView = new DataView(rows.buffer, rows.byteOffset, rows.length);
    }
    // The row layout of index-file.ts (writeRow), through a DataView.
    const at = rowBytes;
    rowView.setUint32(at, fileOffset % 0x100000000, true);
    rowView.setUint32(at + 4, Math.floor(fileOffset / 0x100000000), true);
    rowView.setUint32(at + 8, e - s, true);
    rowView.setUint32(at + 12, scanner.hashHi, true);
    rowView.setUint32(at + 16, scanner.hashLo, true);
    rowView.setUint16(at + 20, kind, true);
    rowView.setUint16(at + 22, trait, true);
    rowView.setUint16(at + 24, domain, true);
    rowBytes += ROW_BYTES;
  };

  const flush = (): void => {
    if (rowBytes > 0) writeAll(indexFd, rows.subarray(0, rowBytes));
    rowBytes = 0;
    if (quarantine.length > 0) writeAll(quarantineFd, Buffer.from(quarantine.join('\n') + '\n'));
    quarantine = [];
  };

  try {
    let bufBase = task.start; // file offset of buf[0]
    let filled = 0;
    let filePos = task.start;
    // Inside a line longer than MAX_LINE_BYTES (already quarantined): its bytes are dropped up to its LF.
    let skipping = false;
    for (;;) {
      if (filled === buf.length) {
        if (buf.length < MAX_LINE_BYTES) {
          // One line longer than the buffer: grow it rather than assume lines are short.
          const grown = Buffer.allocUnsafe(Math.min(buf.length * 2, MAX_LINE_BYTES));
          buf.copy(grown, 0, 0, filled);
          buf = grown;
        } else {
          lines += 1;
          malformed += 1;
          quarantine.push(JSON.stringify({ line: lines, reason: `line longer than ${MAX_LINE_BYTES} bytes`, text: bytesExcerpt(buf, 0, filled) }));
          skipping = true;
          bufBase += filled;
          filled = 0;
        }
      }
      const want = Math.min(buf.length - filled, task.end - filePos);
      const n = want > 0 ? readSync(fd, buf, filled, want, filePos) : 0;
      filePos += n;
      filled += n;
      const atEnd = filePos >= task.end || n === 0;
      if (skipping) {
        const nl = buf.subarray(0, filled).indexOf(LF);
        const dropped = nl === -1 ? filled : nl + 1;
        buf.copy(buf, 0, dropped, filled);
        bufBase += dropped;
        filled -= dropped;
        skipping = nl === -1;
        if (skipping) {
          flush();
          onChunk?.(filePos - task.start, records);
          if (atEnd) break;
          continue;
        }
      }
      const lastLf = filled === 0 ? -1 : buf.lastIndexOf(LF, filled - 1);
      const complete = atEnd ? filled : lastLf + 1;
      if (complete > 0) {
        // Complete lines never split a UTF-8 sequence, so one check covers them all in the common case.
        const checked = isUtf8(buf.subarray(0, complete));
        let s = 0;
        while (s < complete) {
          let nl = buf.indexOf(LF, s);
          if (nl === -1 || nl >= complete) nl = complete;
          line(buf, s, nl, bufBase + s, checked);
          s = nl + 1;
        }
        buf.copy(buf, 0, complete, filled);
        bufBase += complete;
        filled -= complete;
        flush();
        onChunk?.(filePos - task.start, records);
      }
      if (atEnd) break;
    }
  } finally {
    closeSync(fd);
    closeSync(indexFd);
    closeSync(quarantineFd);
  }
  return {
    lines,
    records,
    malformed,
    dict: { kind: kinds.values, trait: traits.values, domain: domains.values },
    counts: { kind: kinds.counts, trait: traits.counts, domain: domains.counts },
  };
}

function writeAll(fd: number, data: Buffer): void {
  let at = 0;
  while (at < data.length) at += writeSync(fd, data, at, data.length - at);
}
