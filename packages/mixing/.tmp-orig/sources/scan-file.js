import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { TooManyTagValuesError } from './errors.js';
import { HEADER_BYTES, indexHeader, ROW_BYTES } from './index-file.js';
export const MAX_SAMPLE = 1000;
const MAX_CODES = 0x10000;
/**
 * Indexes a canonical JSONL file with `threads` workers, one byte range each (ranges start on line
 * starts), then merges their parts in file order. Tag codes are numbered by first appearance in the
 * file and line numbers are global, so the index is byte-identical whatever the thread count.
 */
export async function scanDataFile(o) {
    const { size } = await stat(o.dataPath);
    const bounds = await rangeBounds(o.dataPath, size, Math.max(1, Math.floor(o.threads)));
    const tasks = bounds.slice(0, -1).map((start, i) => ({
        dataPath: o.dataPath,
        start,
        end: bounds[i + 1],
        tagSchema: o.tagSchema,
        indexPart: join(o.workDir, `index.part${i}`),
        quarantinePart: join(o.workDir, `quarantine.part${i}`),
    }));
    const results = await runWorkers(tasks, o.signal, o.onProgress);
    const dictionaries = { kind: [], trait: [], domain: [] };
    const tagCounts = { kind: {}, trait: {}, domain: {} };
    const remaps = results.map((r) => ({
        kind: mergeDictionary(o.dataPath, 'kind', dictionaries.kind, tagCounts.kind, r.dict.kind, r.counts.kind),
        trait: mergeDictionary(o.dataPath, 'trait', dictionaries.trait, tagCounts.trait, r.dict.trait, r.counts.trait),
        domain: mergeDictionary(o.dataPath, 'domain', dictionaries.domain, tagCounts.domain, r.dict.domain, r.counts.domain),
    }));
    const records = results.reduce((s, r) => s + r.records, 0);
    const malformedCount = results.reduce((s, r) => s + r.malformed, 0);
    // Index: header, then each part's rows with local codes replaced by global ones.
    const out = await open(o.indexPath, 'w');
    try {
        await out.write(indexHeader(records, size), 0, HEADER_BYTES, 0);
        let at = HEADER_BYTES;
        const buf = Buffer.allocUnsafe(ROW_BYTES * 65536 * 4);
        for (const [i, task] of tasks.entries()) {
            const remap = remaps[i];
            const part = await open(task.indexPart, 'r');
            try {
                for (;;) {
                    o.signal?.throwIfAborted();
                    const { bytesRead } = await part.read(buf, 0, buf.length, null);
                    if (bytesRead === 0)
                        break;
                    for (let r = 0; r < bytesRead; r += ROW_BYTES) {
                        buf.writeUInt16LE(remap.kind[buf.readUInt16LE(r + 20)], r + 20);
                        buf.writeUInt16LE(remap.trait[buf.readUInt16LE(r + 22)], r + 22);
                        buf.writeUInt16LE(remap.domain[buf.readUInt16LE(r + 24)], r + 24);
                    }
                    await out.write(buf, 0, bytesRead, at);
                    at += bytesRead;
                }
            }
            finally {
                await part.close();
            }
        }
        await out.sync();
    }
    finally {
        await out.close();
    }
    // Quarantine: each part's lines renumbered from range-local to file line numbers.
    const sample = [];
    if (malformedCount > 0) {
        const q = await open(o.quarantinePath, 'w');
        try {
            let lineBase = 0;
            for (const [i, task] of tasks.entries()) {
                if (results[i].malformed > 0) {
                    const rl = createInterface({ input: createReadStream(task.quarantinePart), crlfDelay: Infinity });
                    let pending = [];
                    for await (const text of rl) {
                        if (text === '')
                            continue;
                        const entry = JSON.parse(text);
                        entry.line += lineBase;
                        if (sample.length < MAX_SAMPLE)
                            sample.push({ line: entry.line, reason: entry.reason });
                        pending.push(JSON.stringify(entry));
                        if (pending.length >= 4096) {
                            await q.write(pending.join('\n') + '\n');
                            pending = [];
                        }
                    }
                    if (pending.length > 0)
                        await q.write(pending.join('\n') + '\n');
                }
                lineBase += results[i].lines;
            }
            await q.sync();
        }
        finally {
            await q.close();
        }
    }
    return {
        dataBytes: size,
        records,
        nonBlankLines: records + malformedCount,
        malformed: { count: malformedCount, sample },
        quarantineWritten: malformedCount > 0,
        dictionaries,
        tagCounts,
    };
}
function mergeDictionary(path, tag, global, counts, local, localCounts) {
    const remap = new Uint16Array(local.length);
    local.forEach((value, code) => {
        let g = global.indexOf(value);
        if (g === -1) {
            if (global.length >= MAX_CODES)
                throw new TooManyTagValuesError(path, tag);
            g = global.length;
            global.push(value);
        }
        remap[code] = g;
        const key = value ?? 'none';
        counts[key] = (counts[key] ?? 0) + (localCounts[code] ?? 0);
    });
    return remap;
}
/** Range starts: 0, then the line start at or after each i/threads of the file, then the size. */
async function rangeBounds(path, size, threads) {
    const bounds = [0];
    if (threads > 1 && size > 0) {
        const fh = await open(path, 'r');
        try {
            const probe = Buffer.allocUnsafe(1 << 16);
            for (let i = 1; i < threads; i++) {
                let pos = Math.max(Math.floor((size * i) / threads), bounds[bounds.length - 1]);
                // Move to just past the next LF: a range must start on a line start.
                let found = -1;
                while (found === -1 && pos < size) {
                    const { bytesRead } = await fh.read(probe, 0, probe.length, pos - 1 < 0 ? 0 : pos - 1);
                    if (bytesRead === 0)
                        break;
                    const base = pos - 1 < 0 ? 0 : pos - 1;
                    const nl = probe.subarray(0, bytesRead).indexOf(0x0a);
                    if (nl !== -1)
                        found = base + nl + 1;
                    else
                        pos = base + bytesRead + 1;
                }
                bounds.push(found === -1 ? size : Math.min(found, size));
            }
        }
        finally {
            await fh.close();
        }
    }
    bounds.push(size);
    return bounds;
}
async function runWorkers(tasks, signal, onProgress) {
    signal?.throwIfAborted();
    const progress = tasks.map(() => ({ bytes: 0, records: 0 }));
    const workers = [];
    const onAbort = () => {
        for (const w of workers)
            void w.terminate();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
        return await Promise.all(tasks.map((task, i) => new Promise((resolve, reject) => {
            const worker = new Worker(new URL('./scan-worker.js', import.meta.url), { workerData: task });
            workers.push(worker);
            let done = false;
            worker.on('message', (m) => {
                if (m.type === 'progress') {
                    progress[i] = { bytes: m.bytes, records: m.records };
                    onProgress?.(progress.reduce((s, p) => s + p.bytes, 0), progress.reduce((s, p) => s + p.records, 0));
                }
                else {
                    done = true;
                    resolve(m.result);
                }
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
                if (!done)
                    reject(signal?.aborted ? signal.reason : new Error(`scan worker exited with code ${code} before finishing`));
            });
        })));
    }
    catch (err) {
        onAbort();
        throw err;
    }
    finally {
        signal?.removeEventListener('abort', onAbort);
    }
}
//# sourceMappingURL=scan-file.js.map