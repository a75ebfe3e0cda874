import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { createGunzip } from 'node:zlib';
import { UnsupportedSourceError } from './errors.js';

export const SourceFormat = { jsonl: 'jsonl', gzip: 'jsonl.gz', zstd: 'jsonl.zst', parquet: 'parquet' } as const;
export type SourceFormat = (typeof SourceFormat)[keyof typeof SourceFormat];

const CHUNK = 16 << 20;
/** A canonical copy is the source's content: owner-only, like the store it sits in. */
const CANONICAL_COPY_MODE = 0o600;

/** By extension first (.jsonl/.json, .gz, .zst/.zstd, .parquet), then by magic bytes; JSONL otherwise. */
export async function detectFormat(path: string): Promise<SourceFormat> {
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.json' || ext === '.ndjson') return SourceFormat.jsonl;
  if (ext === '.gz' || ext === '.gzip') return SourceFormat.gzip;
  if (ext === '.zst' || ext === '.zstd') return SourceFormat.zstd;
  if (ext === '.parquet') return SourceFormat.parquet;
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return SourceFormat.gzip;
    if (bytesRead === 4 && head.readUInt32LE(0) === 0xfd2fb528) return SourceFormat.zstd;
    if (bytesRead === 4 && head.toString('latin1') === 'PAR1') return SourceFormat.parquet;
    return SourceFormat.jsonl;
  } finally {
    await fh.close();
  }
}

type Progress = (bytes: number, totalBytes: number) => void;

/** Feeds every chunk of a file, in order, to `each`; returns the file's sha256. */
async function readChunks(path: string, signal: AbortSignal | undefined, onProgress: Progress | undefined, each?: (chunk: Buffer) => Promise<void> | void): Promise<string> {
  const hash = createHash('sha256');
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const buf = Buffer.allocUnsafe(CHUNK);
    let pos = 0;
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const chunk = buf.subarray(0, bytesRead);
      hash.update(chunk);
      // A copy: the read buffer is reused while a decompressor may still hold the chunk.
      if (each !== undefined) await each(Buffer.from(chunk));
      onProgress?.(pos, size);
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}

/** Bytes read and hashed at a time: small enough to still be in the core's cache when the hash reads them. */
const HASH_CHUNK = 1 << 20;
/** Bytes hashed between yields to the event loop (progress, abort, worker messages). */
const HASH_SLICE = 8 << 20;

/**
 * The file's sha256. Reads are synchronous, in cache-sized chunks, so that this thread does the
 * reading and the hashing back to back (no thread-pool round trip per chunk); it yields every HASH_SLICE.
 */
export async function sha256OfFile(path: string, signal?: AbortSignal, onProgress?: Progress): Promise<string> {
  const hash = createHash('sha256');
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const buf = Buffer.allocUnsafe(HASH_CHUNK);
    let pos = 0;
    for (;;) {
      signal?.throwIfAborted();
      const sliceEnd = pos + HASH_SLICE;
      let bytesRead = 0;
      while (pos < sliceEnd && (bytesRead = readSync(fh.fd, buf, 0, HASH_CHUNK, pos)) > 0) {
        hash.update(bytesRead === HASH_CHUNK ? buf : buf.subarray(0, bytesRead));
        pos += bytesRead;
      }
      onProgress?.(pos, size);
      if (pos < sliceEnd) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}

/** Stream-decompresses a gzip or zstd file into `dest` verbatim; returns the compressed file's sha256. */
export async function decompressTo(format: 'jsonl.gz' | 'jsonl.zst', path: string, dest: string, signal?: AbortSignal, onProgress?: Progress): Promise<string> {
  const out = await open(dest, 'w', CANONICAL_COPY_MODE);
  try {
    let sha: string;
    if (format === SourceFormat.gzip) {
      const gunzip = createGunzip();
      const outputs: Buffer[] = [];
      let failure: Error | null = null;
      gunzip.on('data', (d: Buffer) => outputs.push(d));
      gunzip.on('error', (e) => (failure = e));
      const drain = async (): Promise<void> => {
        if (failure !== null) throw new UnsupportedSourceError(path, `not valid gzip (${(failure as Error).message})`);
        const ready = outputs.splice(0);
        for (const d of ready) await writeAll(out, d);
      };
      sha = await readChunks(path, signal, onProgress, async (chunk) => {
        await new Promise<void>((resolve) => gunzip.write(chunk, () => resolve()));
        await drain();
      });
      await new Promise<void>((resolve) => {
        gunzip.once('end', resolve);
        gunzip.once('error', () => resolve());
        gunzip.end();
      });
      await drain();
    } else {
      const outputs: Uint8Array[] = [];
      // Loaded on first use, like hyparquet below: most registrations are plain JSONL.
      const { Decompress } = await import('fzstd');
      const zstd = new Decompress((d) => outputs.push(d));
      const push = (chunk: Uint8Array, final: boolean): void => {
        try {
          zstd.push(chunk, final);
        } catch (err) {
          throw new UnsupportedSourceError(path, `not valid zstd (${(err as Error).message})`);
        }
      };
      sha = await readChunks(path, signal, onProgress, async (chunk) => {
        push(chunk, false);
        for (const d of outputs.splice(0)) await writeAll(out, d);
      });
      push(new Uint8Array(0), true);
      for (const d of outputs.splice(0)) await writeAll(out, d);
    }
    await out.sync();
    return sha;
  } finally {
    await out.close();
  }
}

async function writeAll(fh: Awaited<ReturnType<typeof open>>, data: Uint8Array): Promise<void> {
  let at = 0;
  while (at < data.length) at += (await fh.write(data, at, data.length - at)).bytesWritten;
}

/** JSON.stringify replacer for Parquet values JSON has no type for. */
function parquetValue(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

/**
 * Writes each Parquet row as one JSON line (all columns, in schema order), one row group at a time so
 * memory stays at one group. Returns the Parquet file's sha256.
 */
export async function parquetTo(path: string, dest: string, signal?: AbortSignal, onProgress?: Progress): Promise<string> {
  // Progress while hashing too: a large file would otherwise go minutes without a heartbeat.
  const sha = await sha256OfFile(path, signal, onProgress);
  const { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } = await import('hyparquet');
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  const columns = parquetSchema(metadata).children.map((c) => c.element.name);
  if (!columns.includes('messages') && !columns.includes('prompt')) {
    throw new UnsupportedSourceError(path, `a Parquet source needs a 'messages' or 'prompt' column (has: ${columns.join(', ')})`);
  }
  const out = await open(dest, 'w', CANONICAL_COPY_MODE);
  try {
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      signal?.throwIfAborted();
      const rowEnd = rowStart + Number(group.num_rows);
      let rows: Record<string, unknown>[] = [];
      await parquetRead({
        file,
        metadata,
        rowStart,
        rowEnd,
        rowFormat: 'object',
        onComplete: (r: Record<string, unknown>[]) => {
          rows = r;
        },
      });
      const text = rows.map((row) => JSON.stringify(row, parquetValue)).join('\n');
      if (text.length > 0) await writeAll(out, Buffer.from(text + '\n', 'utf8'));
      rowStart = rowEnd;
      onProgress?.(rowStart, Number(metadata.num_rows));
    }
    await out.sync();
  } finally {
    await out.close();
  }
  return sha;
}
