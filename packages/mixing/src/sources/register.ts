import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import { MalformedSourceRateError, SourceRegistrationAbortedError, UnsupportedSourceError, type MalformedSample } from './errors.js';
import { decompressTo, detectFormat, parquetTo, sha256OfFile, SourceFormat } from './formats.js';
import { scanDataFile } from './scan-file.js';
import { resolveTagSchema, tagSchemaKey, type TagSchema } from './tag-schema.js';
import { allowedTagValues, checkTagValues, type DeclaredTagValues } from './tag-values.js';

export interface RegisterSourceOptions {
  path: string;
  /** 'auto' (the default) goes by extension, then by magic bytes. */
  format?: SourceFormat | 'auto';
  tagSchema?: Partial<TagSchema>;
  /** Where registrations live: one subdirectory per content sha256 (and non-default tag schema). */
  storeDir: string;
  /**
   * Tag values allowed besides the built-in vocabulary; any other kind, trait or domain fails the
   * registration (UnknownTagValueError). `false` checks no values (for corpora outside this study).
   */
  tagValues?: DeclaredTagValues | false;
  /** Malformed share of non-blank lines above which registration fails; default 0.01. */
  maxMalformedRate?: number;
  /** Worker threads for the scan; default min(2, availableParallelism()). The index is the same for any value. */
  threads?: number;
  signal?: AbortSignal;
  /**
   * Called at least every few megabytes of work, whatever the phase (a caller heartbeats on it): `hash`
   * of a plain JSONL file, `copy` of a compressed or Parquet one into canonical JSONL, `scan`. `bytes`
   * and `totalBytes` count the phase's file: the source, or for `scan` of a copied source, its copy.
   */
  onProgress?: (p: { phase: 'hash' | 'copy' | 'scan'; bytes: number; totalBytes: number; records: number }) => void;
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
  malformed: { count: number; rate: number; sample: MalformedSample[] };
  /**
   * JSONL of {line, reason, text} for every malformed line, `text` an escaped excerpt of at most 200
   * bytes (file mode 0600); null when there are none.
   */
  quarantinePath: string | null;
  /** Canonical JSONL the index points into: the file itself for plain JSONL, else a copy in the store. */
  dataPath: string;
  indexPath: string;
  tagSchema: TagSchema;
  /** Tag code → value, codes numbered by first appearance in the file. */
  dictionaries: { kind: (string | null)[]; trait: (string | null)[]; domain: string[] };
  /** Records per tag value; a null or absent kind and a null trait are counted under 'none'. */
  tagCounts: { kind: Record<string, number>; trait: Record<string, number>; domain: Record<string, number> };
  fileIdentity: FileIdentity;
}

export const REGISTRATION_FILE = 'registration.json';
const INDEX_FILE = 'index.bin';
const QUARANTINE_FILE = 'quarantine.jsonl';
const DATA_FILE = 'data.jsonl';
const PATHS_DIR = 'paths';
/** The store holds excerpts of sources and their canonical copies: owner-only. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** What the store remembers per (path, tag schema), so an unchanged file is found without reading it. */
interface PathPointer {
  path: string;
  fileIdentity: FileIdentity;
  dir: string;
}

/**
 * Registers a source: hashes it, scans it once and writes a compact index beside a registration.json.
 * A file whose size, mtime and inode match what the store recorded for its path is not read again.
 */
export async function registerSource(o: RegisterSourceOptions): Promise<SourceRegistration> {
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
    const st = await stat(path);
    // Devices, FIFOs and directories have no end or no stable bytes to hash (`/dev/zero`).
    if (!st.isFile()) throw new UnsupportedSourceError(path, 'not a regular file');
    const identity = identityOf(st);
    const allowed = o.tagValues === false ? null : await allowedTagValues(o.tagValues);
    const accept = async (reg: SourceRegistration): Promise<SourceRegistration> => {
      checkRate(reg, maxRate);
      if (allowed !== null) await checkTagValues(reg, allowed, signal);
      return reg;
    };

    const warm = await readWarm(pointerPath, path, identity);
    if (warm !== null) return await accept(warm);

    const format = o.format === undefined || o.format === 'auto' ? await detectFormat(path) : o.format;
    await mkdir(storeDir, { recursive: true, mode: DIR_MODE });
    const work = join(storeDir, `.tmp-${randomUUID()}`);
    // Everything a registration writes starts here, so a rejected or aborted one leaves nothing.
    await mkdir(work, { mode: DIR_MODE });
    try {
      let dataInWork: string;
      let shaPromise: Promise<string>;
      if (format === SourceFormat.jsonl) {
        dataInWork = path;
        // The hash and the scan read the same (cached) bytes concurrently.
        shaPromise = sha256OfFile(path, signal, (bytes, totalBytes) => o.onProgress?.({ phase: 'hash', bytes, totalBytes, records: 0 }));
        shaPromise.catch(() => undefined);
      } else {
        dataInWork = join(work, DATA_FILE);
        const onCopy = (bytes: number, totalBytes: number): void => o.onProgress?.({ phase: 'copy', bytes, totalBytes, records: 0 });
        const sha =
          format === SourceFormat.parquet
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
        onProgress: (bytes, records) => o.onProgress?.({ phase: 'scan', bytes, totalBytes: dataBytes, records }),
      });
      const sha256 = await shaPromise;
      signal?.throwIfAborted();

      const dirName = schemaKey === '' ? sha256 : `${sha256}.${schemaKey}`;
      const dir = join(storeDir, dirName);
      const existing = await readRegistration(join(dir, REGISTRATION_FILE));
      if (existing !== null) {
        // Same bytes registered before (under another path, or before a touch): reuse, record the identity.
        return await accept(await adopt(existing, { path, fileIdentity: identity, dir }, pointerPath));
      }
      const rate = scan.nonBlankLines === 0 ? 0 : scan.malformed.count / scan.nonBlankLines;
      if (rate > maxRate) {
        throw new MalformedSourceRateError(path, scan.malformed.count, scan.nonBlankLines, rate, maxRate, scan.malformed.sample);
      }
      // Checked on the work copy, before anything is published.
      if (allowed !== null) {
        await checkTagValues({ path, dataPath: dataInWork, indexPath: join(work, INDEX_FILE), records: scan.records, tagSchema, dictionaries: scan.dictionaries }, allowed, signal);
      }
      const reg: SourceRegistration = {
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
      for (const part of await partFiles(work)) await rm(join(work, part), { force: true });
      // registration.json is written last, then the whole directory appears at once.
      await writeFileAtomic(join(work, REGISTRATION_FILE), `${JSON.stringify(reg, null, 2)}\n`, FILE_MODE);
      signal?.throwIfAborted();
      try {
        await rename(work, dir);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
        // Another registration of the same bytes won the race, or a stale directory without a registration.
        const theirs = await readRegistration(join(dir, REGISTRATION_FILE));
        if (theirs !== null) return await accept(await adopt(theirs, { path, fileIdentity: identity, dir }, pointerPath));
        await rm(dir, { recursive: true, force: true });
        await rename(work, dir);
      }
      await writePointer(pointerPath, { path, fileIdentity: identity, dir });
      return reg;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  } catch (err) {
    if (signal?.aborted) throw new SourceRegistrationAbortedError(path, signal.reason);
    throw err;
  }
}

function identityOf(s: { size: number; mtimeMs: number; ino: number }): FileIdentity {
  return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
}

function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function readRegistration(file: string): Promise<SourceRegistration | null> {
  return readJson<SourceRegistration>(file);
}

/** The registration for an unchanged file, from two small JSON reads and no read of the file itself. */
async function readWarm(pointerPath: string, path: string, identity: FileIdentity): Promise<SourceRegistration | null> {
  const pointer = await readJson<PathPointer>(pointerPath);
  if (pointer === null || pointer.path !== path || !sameIdentity(pointer.fileIdentity, identity)) return null;
  const reg = await readRegistration(join(pointer.dir, REGISTRATION_FILE));
  if (reg === null) return null;
  return withIdentity(reg, pointer);
}

function withIdentity(reg: SourceRegistration, pointer: PathPointer): SourceRegistration {
  return {
    ...reg,
    path: pointer.path,
    fileIdentity: pointer.fileIdentity,
    // A plain JSONL source is its own data file, so it is read at the path it was registered under now.
    dataPath: reg.format === SourceFormat.jsonl ? pointer.path : reg.dataPath,
  };
}

async function adopt(existing: SourceRegistration, pointer: PathPointer, pointerPath: string): Promise<SourceRegistration> {
  const reg = withIdentity(existing, pointer);
  await writeFileAtomic(join(pointer.dir, REGISTRATION_FILE), `${JSON.stringify(reg, null, 2)}\n`, FILE_MODE);
  await writePointer(pointerPath, pointer);
  return reg;
}

async function writePointer(pointerPath: string, pointer: PathPointer): Promise<void> {
  await mkdir(join(pointerPath, '..'), { recursive: true, mode: DIR_MODE });
  await writeFileAtomic(pointerPath, `${JSON.stringify(pointer)}\n`, FILE_MODE);
}

function checkRate(reg: SourceRegistration, maxRate: number): SourceRegistration {
  if (reg.malformed.rate > maxRate) {
    const lines = reg.records + reg.malformed.count;
    throw new MalformedSourceRateError(reg.path, reg.malformed.count, lines, reg.malformed.rate, maxRate, reg.malformed.sample);
  }
  return reg;
}

async function partFiles(work: string): Promise<string[]> {
  return (await readdir(work)).filter((f) => f.includes('.part'));
}
