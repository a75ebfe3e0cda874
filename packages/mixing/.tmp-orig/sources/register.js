import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import { MalformedSourceRateError, SourceRegistrationAbortedError } from './errors.js';
import { decompressTo, detectFormat, parquetTo, sha256OfFile, SourceFormat } from './formats.js';
import { scanDataFile } from './scan-file.js';
import { resolveTagSchema, tagSchemaKey } from './tag-schema.js';
export const REGISTRATION_FILE = 'registration.json';
const INDEX_FILE = 'index.bin';
const QUARANTINE_FILE = 'quarantine.jsonl';
const DATA_FILE = 'data.jsonl';
const PATHS_DIR = 'paths';
/**
 * Registers a source: hashes it, scans it once and writes a compact index beside a registration.json.
 * A file whose size, mtime and inode match what the store recorded for its path is not read again.
 */
export async function registerSource(o) {
    const path = resolve(o.path);
    const storeDir = resolve(o.storeDir);
    const tagSchema = resolveTagSchema(o.tagSchema);
    const schemaKey = tagSchemaKey(tagSchema);
    const maxRate = o.maxMalformedRate ?? 0.01;
    const threads = o.threads ?? Math.min(2, availableParallelism());
    const signal = o.signal;
    const pointerPath = join(storeDir, PATHS_DIR, `${createHash('sha256').update(`${path}\0${schemaKey}`).digest('hex')}.json`);
    try {
        signal?.throwIfAborted();
        const identity = identityOf(await stat(path));
        const warm = await readWarm(pointerPath, path, identity);
        if (warm !== null)
            return checkRate(warm, maxRate);
        const format = o.format === undefined || o.format === 'auto' ? await detectFormat(path) : o.format;
        await mkdir(storeDir, { recursive: true });
        const work = join(storeDir, `.tmp-${randomUUID()}`);
        await mkdir(work);
        try {
            const progress = (bytes, totalBytes, records) => o.onProgress?.({ bytes, totalBytes, records });
            let dataInWork;
            let shaPromise;
            if (format === SourceFormat.jsonl) {
                dataInWork = path;
                // The hash and the scan read the same (cached) bytes concurrently.
                shaPromise = sha256OfFile(path, signal);
                shaPromise.catch(() => undefined);
            }
            else {
                dataInWork = join(work, DATA_FILE);
                const onCopy = (bytes, total) => progress(bytes, total, 0);
                const sha = format === SourceFormat.parquet
                    ? await parquetTo(path, dataInWork, signal, onCopy)
                    : await decompressTo(format, path, dataInWork, signal, onCopy);
                shaPromise = Promise.resolve(sha);
            }
            const dataBytes = (await stat(dataInWork)).size;
            const scan = await scanDataFile({
                dataPath: dataInWork,
                tagSchema,
                threads,
                workDir: work,
                indexPath: join(work, INDEX_FILE),
                quarantinePath: join(work, QUARANTINE_FILE),
                signal,
                onProgress: (bytes, records) => progress(bytes, dataBytes, records),
            });
            const sha256 = await shaPromise;
            signal?.throwIfAborted();
            const dirName = schemaKey === '' ? sha256 : `${sha256}.${schemaKey}`;
            const dir = join(storeDir, dirName);
            const existing = await readRegistration(join(dir, REGISTRATION_FILE));
            if (existing !== null) {
                // Same bytes registered before (under another path, or before a touch): reuse, record the identity.
                return checkRate(await adopt(existing, { path, fileIdentity: identity, dir }, pointerPath), maxRate);
            }
            const rate = scan.nonBlankLines === 0 ? 0 : scan.malformed.count / scan.nonBlankLines;
            if (rate > maxRate) {
                throw new MalformedSourceRateError(path, scan.malformed.count, scan.nonBlankLines, rate, maxRate, scan.malformed.sample);
            }
            const reg = {
                sourceId: `src_${sha256.slice(0, 24)}`,
                sha256,
                format,
                path,
                bytes: identity.size,
                records: scan.records,
                malformed: { count: scan.malformed.count, rate, sample: scan.malformed.sample },
                quarantinePath: scan.quarantineWritten ? join(dir, QUARANTINE_FILE) : null,
                dataPath: format === SourceFormat.jsonl ? path : join(dir, DATA_FILE),
                indexPath: join(dir, INDEX_FILE),
                tagSchema,
                dictionaries: scan.dictionaries,
                tagCounts: scan.tagCounts,
                fileIdentity: identity,
            };
            for (const part of await partFiles(work))
                await rm(join(work, part), { force: true });
            // registration.json is written last, then the whole directory appears at once.
            await writeFileAtomic(join(work, REGISTRATION_FILE), `${JSON.stringify(reg, null, 2)}\n`);
            signal?.throwIfAborted();
            try {
                await rename(work, dir);
            }
            catch (err) {
                const code = err.code;
                if (code !== 'ENOTEMPTY' && code !== 'EEXIST')
                    throw err;
                // Another registration of the same bytes won the race, or a stale directory without a registration.
                const theirs = await readRegistration(join(dir, REGISTRATION_FILE));
                if (theirs !== null)
                    return checkRate(await adopt(theirs, { path, fileIdentity: identity, dir }, pointerPath), maxRate);
                await rm(dir, { recursive: true, force: true });
                await rename(work, dir);
            }
            await writePointer(pointerPath, { path, fileIdentity: identity, dir });
            return reg;
        }
        finally {
            await rm(work, { recursive: true, force: true });
        }
    }
    catch (err) {
        if (signal?.aborted)
            throw new SourceRegistrationAbortedError(path, signal.reason);
        throw err;
    }
}
function identityOf(s) {
    return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
}
function sameIdentity(a, b) {
    return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}
async function readJson(file) {
    try {
        return JSON.parse(await readFile(file, 'utf8'));
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return null;
        throw err;
    }
}
function readRegistration(file) {
    return readJson(file);
}
/** The registration for an unchanged file, from two small JSON reads and no read of the file itself. */
async function readWarm(pointerPath, path, identity) {
    const pointer = await readJson(pointerPath);
    if (pointer === null || pointer.path !== path || !sameIdentity(pointer.fileIdentity, identity))
        return null;
    const reg = await readRegistration(join(pointer.dir, REGISTRATION_FILE));
    if (reg === null)
        return null;
    return withIdentity(reg, pointer);
}
function withIdentity(reg, pointer) {
    return {
        ...reg,
        path: pointer.path,
        fileIdentity: pointer.fileIdentity,
        // A plain JSONL source is its own data file, so it is read at the path it was registered under now.
        dataPath: reg.format === SourceFormat.jsonl ? pointer.path : reg.dataPath,
    };
}
async function adopt(existing, pointer, pointerPath) {
    const reg = withIdentity(existing, pointer);
    await writeFileAtomic(join(pointer.dir, REGISTRATION_FILE), `${JSON.stringify(reg, null, 2)}\n`);
    await writePointer(pointerPath, pointer);
    return reg;
}
async function writePointer(pointerPath, pointer) {
    await mkdir(join(pointerPath, '..'), { recursive: true });
    await writeFileAtomic(pointerPath, `${JSON.stringify(pointer)}\n`);
}
function checkRate(reg, maxRate) {
    if (reg.malformed.rate > maxRate) {
        const lines = reg.records + reg.malformed.count;
        throw new MalformedSourceRateError(reg.path, reg.malformed.count, lines, reg.malformed.rate, maxRate, reg.malformed.sample);
    }
    return reg;
}
async function partFiles(work) {
    return (await readdir(work)).filter((f) => f.includes('.part'));
}
//# sourceMappingURL=register.js.map