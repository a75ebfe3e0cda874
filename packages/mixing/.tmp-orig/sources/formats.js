import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { UnsupportedSourceError } from './errors.js';
export const SourceFormat = { jsonl: 'jsonl', gzip: 'jsonl.gz', zstd: 'jsonl.zst', parquet: 'parquet' };
const CHUNK = 16 << 20;
/** By extension first (.jsonl/.json, .gz, .zst/.zstd, .parquet), then by magic bytes; JSONL otherwise. */
export async function detectFormat(path) {
    const ext = extname(path).toLowerCase();
    if (ext === '.jsonl' || ext === '.json' || ext === '.ndjson')
        return SourceFormat.jsonl;
    if (ext === '.gz' || ext === '.gzip')
        return SourceFormat.gzip;
    if (ext === '.zst' || ext === '.zstd')
        return SourceFormat.zstd;
    if (ext === '.parquet')
        return SourceFormat.parquet;
    const fh = await open(path, 'r');
    try {
        const head = Buffer.alloc(4);
        const { bytesRead } = await fh.read(head, 0, 4, 0);
        if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b)
            return SourceFormat.gzip;
        if (bytesRead === 4 && head.readUInt32LE(0) === 0xfd2fb528)
            return SourceFormat.zstd;
        if (bytesRead === 4 && head.toString('latin1') === 'PAR1')
            return SourceFormat.parquet;
        return SourceFormat.jsonl;
    }
    finally {
        await fh.close();
    }
}
/** Feeds every chunk of a file, in order, to `each`; returns the file's sha256. */
async function readChunks(path, signal, onProgress, each) {
    const hash = createHash('sha256');
    const fh = await open(path, 'r');
    try {
        const { size } = await fh.stat();
        const buf = Buffer.allocUnsafe(CHUNK);
        let pos = 0;
        for (;;) {
            signal?.throwIfAborted();
            const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
            if (bytesRead === 0)
                break;
            pos += bytesRead;
            const chunk = buf.subarray(0, bytesRead);
            hash.update(chunk);
            // A copy: the read buffer is reused while a decompressor may still hold the chunk.
            if (each !== undefined)
                await each(Buffer.from(chunk));
            onProgress?.(pos, size);
        }
    }
    finally {
        await fh.close();
    }
    return hash.digest('hex');
}
export function sha256OfFile(path, signal, onProgress) {
    return readChunks(path, signal, onProgress);
}
/** Stream-decompresses a gzip or zstd file into `dest` verbatim; returns the compressed file's sha256. */
export async function decompressTo(format, path, dest, signal, onProgress) {
    const out = await open(dest, 'w');
    try {
        let sha;
        if (format === SourceFormat.gzip) {
            const gunzip = createGunzip();
            const outputs = [];
            let failure = null;
            gunzip.on('data', (d) => outputs.push(d));
            gunzip.on('error', (e) => (failure = e));
            const drain = async () => {
                if (failure !== null)
                    throw new UnsupportedSourceError(path, `not valid gzip (${failure.message})`);
                const ready = outputs.splice(0);
                for (const d of ready)
                    await writeAll(out, d);
            };
            sha = await readChunks(path, signal, onProgress, async (chunk) => {
                await new Promise((resolve) => gunzip.write(chunk, () => resolve()));
                await drain();
            });
            await new Promise((resolve) => {
                gunzip.once('end', resolve);
                gunzip.once('error', () => resolve());
                gunzip.end();
            });
            await drain();
        }
        else {
            const outputs = [];
            const zstd = new Decompress((d) => outputs.push(d));
            const push = (chunk, final) => {
                try {
                    zstd.push(chunk, final);
                }
                catch (err) {
                    throw new UnsupportedSourceError(path, `not valid zstd (${err.message})`);
                }
            };
            sha = await readChunks(path, signal, onProgress, async (chunk) => {
                push(chunk, false);
                for (const d of outputs.splice(0))
                    await writeAll(out, d);
            });
            push(new Uint8Array(0), true);
            for (const d of outputs.splice(0))
                await writeAll(out, d);
        }
        await out.sync();
        return sha;
    }
    finally {
        await out.close();
    }
}
async function writeAll(fh, data) {
    let at = 0;
    while (at < data.length)
        at += (await fh.write(data, at, data.length - at)).bytesWritten;
}
/** JSON.stringify replacer for Parquet values JSON has no type for. */
function parquetValue(_key, value) {
    if (typeof value === 'bigint')
        return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    if (value instanceof Uint8Array)
        return Buffer.from(value).toString('base64');
    return value;
}
/**
 * Writes each Parquet row as one JSON line (all columns, in schema order), one row group at a time so
 * memory stays at one group. Returns the Parquet file's sha256.
 */
export async function parquetTo(path, dest, signal, onProgress) {
    const sha = await sha256OfFile(path, signal);
    const file = await asyncBufferFromFile(path);
    const metadata = await parquetMetadataAsync(file);
    const columns = parquetSchema(metadata).children.map((c) => c.element.name);
    if (!columns.includes('messages') && !columns.includes('prompt')) {
        throw new UnsupportedSourceError(path, `a Parquet source needs a 'messages' or 'prompt' column (has: ${columns.join(', ')})`);
    }
    const out = await open(dest, 'w');
    try {
        let rowStart = 0;
        for (const group of metadata.row_groups) {
            signal?.throwIfAborted();
            const rowEnd = rowStart + Number(group.num_rows);
            let rows = [];
            await parquetRead({
                file,
                metadata,
                rowStart,
                rowEnd,
                rowFormat: 'object',
                onComplete: (r) => {
                    rows = r;
                },
            });
            const text = rows.map((row) => JSON.stringify(row, parquetValue)).join('\n');
            if (text.length > 0)
                await writeAll(out, Buffer.from(text + '\n', 'utf8'));
            rowStart = rowEnd;
            onProgress?.(rowStart, Number(metadata.num_rows));
        }
        await out.sync();
    }
    finally {
        await out.close();
    }
    return sha;
}
//# sourceMappingURL=formats.js.map