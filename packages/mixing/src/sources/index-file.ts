import { open, readFile } from 'node:fs/promises';
import { SourceIndexCorruptError } from './errors.js';

/**
 * The index file: a 24-byte header (magic `BALIDX01`, record count and data-file size, each as two
 * little-endian uint32s, low word first), then one 26-byte row per record in file order:
 * offset (uint32 low, uint32 high), length (uint32), hashHi, hashLo (uint32), kind, trait, domain (uint16),
 * all little-endian.
 */
export const INDEX_MAGIC = 'BALIDX01';
export const HEADER_BYTES = 24;
export const ROW_BYTES = 26;

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

export function writeRow(
  out: Buffer,
  at: number,
  offset: number,
  length: number,
  hashHi: number,
  hashLo: number,
  kind: number,
  trait: number,
  domain: number,
): void {
  out.writeUInt32LE(offset % 0x100000000, at);
  out.writeUInt32LE(Math.floor(offset / 0x100000000), at + 4);
  out.writeUInt32LE(length, at + 8);
  out.writeUInt32LE(hashHi, at + 12);
  out.writeUInt32LE(hashLo, at + 16);
  out.writeUInt16LE(kind, at + 20);
  out.writeUInt16LE(trait, at + 22);
  out.writeUInt16LE(domain, at + 24);
}

export function indexHeader(records: number, dataBytes: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(INDEX_MAGIC, 0, 'latin1');
  header.writeUInt32LE(records % 0x100000000, 8);
  header.writeUInt32LE(Math.floor(records / 0x100000000), 12);
  header.writeUInt32LE(dataBytes % 0x100000000, 16);
  header.writeUInt32LE(Math.floor(dataBytes / 0x100000000), 20);
  return header;
}

class IndexRows implements SourceIndex {
  private readonly view: DataView;
  constructor(
    bytes: Uint8Array,
    readonly records: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, records * ROW_BYTES);
  }
  offset(i: number): number {
    return this.view.getUint32(i * ROW_BYTES, true) + this.view.getUint32(i * ROW_BYTES + 4, true) * 0x100000000;
  }
  length(i: number): number {
    return this.view.getUint32(i * ROW_BYTES + 8, true);
  }
  hashHi(i: number): number {
    return this.view.getUint32(i * ROW_BYTES + 12, true);
  }
  hashLo(i: number): number {
    return this.view.getUint32(i * ROW_BYTES + 16, true);
  }
  kind(i: number): number {
    return this.view.getUint16(i * ROW_BYTES + 20, true);
  }
  trait(i: number): number {
    return this.view.getUint16(i * ROW_BYTES + 22, true);
  }
  domain(i: number): number {
    return this.view.getUint16(i * ROW_BYTES + 24, true);
  }
}

interface IndexedRegistration {
  readonly indexPath: string;
  readonly records: number;
}

function checkHeader(header: Uint8Array, reg: IndexedRegistration, fileBytes: number): void {
  const buf = Buffer.from(header.buffer, header.byteOffset, HEADER_BYTES);
  const records = buf.readUInt32LE(8) + buf.readUInt32LE(12) * 0x100000000;
  if (buf.toString('latin1', 0, 8) !== INDEX_MAGIC) throw new SourceIndexCorruptError(reg.indexPath, 'bad magic');
  if (records !== reg.records) {
    throw new SourceIndexCorruptError(reg.indexPath, `holds ${records} records, registration says ${reg.records}`);
  }
  if (fileBytes !== HEADER_BYTES + records * ROW_BYTES) {
    throw new SourceIndexCorruptError(reg.indexPath, `is ${fileBytes} bytes, expected ${HEADER_BYTES + records * ROW_BYTES}`);
  }
}

/** Reads the whole index into memory (26 bytes per record). */
export async function openSourceIndex(reg: IndexedRegistration): Promise<SourceIndex> {
  const bytes = await readFile(reg.indexPath);
  if (bytes.length < HEADER_BYTES) throw new SourceIndexCorruptError(reg.indexPath, 'shorter than its header');
  checkHeader(bytes, reg, bytes.length);
  return new IndexRows(bytes.subarray(HEADER_BYTES), reg.records);
}

/**
 * Streams the index in chunks of `chunkRecords` rows; memory stays at one chunk. Each chunk's accessors
 * take chunk-relative indexes; `firstRecord` is the chunk's first record number. The chunk is only valid
 * until `fn` returns (or its promise settles).
 */
export async function forEachIndexChunk(
  reg: IndexedRegistration,
  chunkRecords: number,
  fn: (chunk: SourceIndex, firstRecord: number) => void | Promise<void>,
): Promise<void> {
  await forEachIndexRows(reg, chunkRecords, (rows, records, first) => fn(new IndexRows(rows, records), first));
}

/**
 * Like forEachIndexChunk, but hands over the raw rows (`records` × ROW_BYTES bytes, layout above), for
 * loops that decode the fields they need themselves. `rows` is reused for the next chunk.
 */
export async function forEachIndexRows(
  reg: IndexedRegistration,
  chunkRecords: number,
  fn: (rows: Buffer, records: number, firstRecord: number) => void | Promise<void>,
): Promise<void> {
  if (!Number.isInteger(chunkRecords) || chunkRecords < 1) throw new RangeError(`chunkRecords must be a positive integer, got ${chunkRecords}`);
  const fh = await open(reg.indexPath, 'r');
  try {
    const { size } = await fh.stat();
    const header = Buffer.alloc(HEADER_BYTES);
    if ((await fh.read(header, 0, HEADER_BYTES, 0)).bytesRead !== HEADER_BYTES) {
      throw new SourceIndexCorruptError(reg.indexPath, 'shorter than its header');
    }
    checkHeader(header, reg, size);
    const buf = Buffer.allocUnsafe(Math.min(chunkRecords, Math.max(reg.records, 1)) * ROW_BYTES);
    for (let first = 0; first < reg.records; first += chunkRecords) {
      const n = Math.min(chunkRecords, reg.records - first);
      const want = n * ROW_BYTES;
      let got = 0;
      while (got < want) {
        const { bytesRead } = await fh.read(buf, got, want - got, HEADER_BYTES + first * ROW_BYTES + got);
        if (bytesRead === 0) throw new SourceIndexCorruptError(reg.indexPath, 'ended early');
        got += bytesRead;
      }
      await fn(buf.subarray(0, want), n, first);
    }
  } finally {
    await fh.close();
  }
}
