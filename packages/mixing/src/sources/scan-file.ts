import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { TooManyTagValuesError, type MalformedSample } from './errors.js';
import { HEADER_BYTES, indexHeader, ROW_BYTES } from './index-file.js';
import type { RangeResult, RangeTask } from './scan-range.js';
import type { TagSchema } from './tag-schema.js';

export const MAX_SAMPLE = 1000;
/** Owner-only: the quarantine holds excerpts of the source. */
const FILE_MODE = 0o600;
const MAX_CODES = 0x10000;

export interface ScanFileOptions {
  readonly dataPath: string;
  readonly tagSchema: TagSchema;
  readonly threads: number;
  /** Scratch directory for the per-range part files. */
  readonly workDir: string;
  readonly indexPath: string;
  readonly quarantinePath: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (bytes: number, records: number) => void;
}

export interface ScanOutcome {
  readonly dataBytes: number;
  readonly records: number;
  /** Non-blank lines: records plus malformed. */
  readonly nonBlankLines: number;
  readonly malformed: { count: number; sample: MalformedSample[] };
  readonly quarantineWritten: boolean;
  readonly dictionaries: { kind: (string | null)[]; trait: (string | null)[]; domain: string[] };
  readonly tagCounts: { kind: Record<string, number>; trait: Record<string, number>; domain: Record<string, number> };
}

/**
 * Indexes a canonical JSONL file with `threads` workers, one byte range each (ranges start on line
 * starts), then merges their parts in file order. Tag codes are numbered by first appearance in the
 * file and line numbers are global, so the index is byte-identical whatever the thread count.
 */
export async function scanDataFile(o: ScanFileOptions): Promise<ScanOutcome> {
  const { size } = await stat(o.dataPath);
  const bounds = await rangeBounds(o.dataPath, size, Math.max(1, Math.floor(o.threads)), o.signal);
  const tasks: RangeTask[] = bounds.slice(0, -1).map((start, i) => ({
    dataPath: o.dataPath,
    start,
    end: bounds[i + 1]!,
    tagSchema: o.tagSchema,
    indexPart: join(o.workDir, `index.part${i}`),
    quarantinePart: join(o.workDir, `quarantine.part${i}`),
  }));
  const results = await runWorkers(tasks, o.signal, o.onProgress);

  const dictionaries = { kind: [] as (string | null)[], trait: [] as (string | null)[], domain: [] as string[] };
  const tagCounts = { kind: {} as Record<string, number>, trait: {} as Record<string, number>, domain: {} as Record<string, number> };
  const remaps = results.map((r): Remap => {
    const kind = mergeDictionary(o.dataPath, 'kind', dictionaries.kind, tagCounts.kind, r.dict.kind, r.counts.kind);
    const trait = mergeDictionary(o.dataPath, 'trait', dictionaries.trait, tagCounts.trait, r.dict.trait, r.counts.trait);
    const domain = mergeDictionary(o.dataPath, 'domain', dictionaries.domain, tagCounts.domain, r.dict.domain, r.counts.domain);
    const same = (m: Uint16Array): boolean => m.every((g, l) => g === l);
    return { kind, trait, domain, identity: same(kind) && same(trait) && same(domain) };
  });
  const records = results.reduce((s, r) => s + r.records, 0);
  const malformedCount = results.reduce((s, r) => s + r.malformed, 0);

  // Index: header, then each part's rows with local codes replaced by global ones.
  const out = await open(o.indexPath, 'w', FILE_MODE);
  try {
    await out.write(indexHeader(records, size), 0, HEADER_BYTES, 0);
    let at = HEADER_BYTES;
    const buf = Buffer.allocUnsafe(ROW_BYTES * 65536 * 4);
    for (const [i, task] of tasks.entries()) {
      const remap = remaps[i]!;
      const part = await open(task.indexPart, 'r');
      try {
        for (;;) {
          o.signal?.throwIfAborted();
          const { bytesRead } = await part.read(buf, 0, buf.length, null);
          if (bytesRead === 0) break;
          if (!remap.identity) remapRows(buf, bytesRead, remap);
          await out.write(buf, 0, bytesRead, at);
          at += bytesRead;
        }
      } finally {
        await part.close();
      }
    }
    await out.sync();
  } finally {
    await out.close();
  }

  // Quarantine: each part's lines renumbered from range-local to file line numbers.
  const sample: MalformedSample[] = [];
  if (malformedCount > 0) {
    const q = await open(o.quarantinePath, 'w', FILE_MODE);
    try {
      let lineBase = 0;
      for (const [i, task] of tasks.entries()) {
        if (results[i]!.malformed > 0) {
          const rl = createInterface({ input: createReadStream(task.quarantinePart), crlfDelay: Infinity });
          let pending: string[] = [];
          for await (const text of rl) {
            o.signal?.throwIfAborted();
            if (text === '') continue;
            const entry = JSON.parse(text) as { line: number; reason: string; text: string };
            entry.line += lineBase;
            if (sample.length < MAX_SAMPLE) sample.push({ line: entry.line, reason: entry.reason });
            pending.push(JSON.stringify(entry));
            if (pending.length >= 4096) {
              await q.write(pending.join('\n') + '\n');
              pending = [];
            }
          }
          if (pending.length > 0) await q.write(pending.join('\n') + '\n');
        }
        lineBase += results[i]!.lines;
      }
      await q.sync();
    } finally {
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

interface Remap {
  readonly kind: Uint16Array;
  readonly trait: Uint16Array;
  readonly domain: Uint16Array;
  /** Every local code is already the global one (always so for the first range). */
  readonly identity: boolean;
}

/** Replaces the local tag codes in `bytes` bytes of rows with global ones. */
function remapRows(buf: Buffer, bytes: number, remap: Remap): void {
  const view = new DataView(buf.buffer, buf.byteOffset, bytes);
  for (let r = 0; r < bytes; r += ROW_BYTES) {
    view.setUint16(r + 20, remap.kind[view.getUint16(r + 20, true)]!, true);
    view.setUint16(r + 22, remap.trait[view.getUint16(r + 22, true)]!, true);
    view.setUint16(r + 24, remap.domain[view.getUint16(r + 24, true)]!, true);
  }
}

function mergeDictionary<T extends string | null>(
  path: string,
  tag: string,
  global: T[],
  counts: Record<string, number>,
  local: readonly T[],
  localCounts: readonly number[],
): Uint16Array {
  const remap = new Uint16Array(local.length);
  local.forEach((value, code) => {
    let g = global.indexOf(value);
    if (g === -1) {
      if (global.length >= MAX_CODES) throw new TooManyTagValuesError(path, tag);
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
async function rangeBounds(path: string, size: number, threads: number, signal: AbortSignal | undefined): Promise<number[]> {
  const bounds = [0];
  if (threads > 1 && size > 0) {
    const fh = await open(path, 'r');
    try {
      const probe = Buffer.allocUnsafe(1 << 16);
      for (let i = 1; i < threads; i++) {
        let pos = Math.max(Math.floor((size * i) / threads), bounds[bounds.length - 1]!);
        // Move to just past the next LF: a range must start on a line start.
        let found = -1;
        while (found === -1 && pos < size) {
          // A file without line breaks is read to its end here: stop on a cancel.
          signal?.throwIfAborted();
          const { bytesRead } = await fh.read(probe, 0, probe.length, pos - 1 < 0 ? 0 : pos - 1);
          if (bytesRead === 0) break;
          const base = pos - 1 < 0 ? 0 : pos - 1;
          const nl = probe.subarray(0, bytesRead).indexOf(0x0a);
          if (nl !== -1) found = base + nl + 1;
          else pos = base + bytesRead + 1;
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

type ScanMessage =
  | { type: 'progress'; bytes: number; records: number }
  | { type: 'done'; result: RangeResult }
  | { type: 'failed'; message: string; code?: string };

/** Idle scan workers kept for the next registration: starting one costs as much as scanning megabytes. */
const idleWorkers: Worker[] = [];
/** Every scan worker thread that has not exited, idle or busy. */
const liveWorkers = new Set<Worker>();

/** Scan worker threads that have not exited: those scanning now plus the idle ones kept for reuse. */
export function scanWorkerThreads(): { live: number; idle: number } {
  return { live: liveWorkers.size, idle: idleWorkers.length };
}
const MAX_IDLE_WORKERS = 4;

function takeWorker(): Worker {
  const idle = idleWorkers.pop();
  if (idle !== undefined) {
    idle.ref();
    return idle;
  }
  const worker = new Worker(new URL('./scan-worker.js', import.meta.url));
  liveWorkers.add(worker);
  // An idle worker that dies leaves the pool.
  worker.on('exit', () => {
    liveWorkers.delete(worker);
    const at = idleWorkers.indexOf(worker);
    if (at !== -1) idleWorkers.splice(at, 1);
  });
  return worker;
}

/**
 * Stops the idle scan workers, giving back their memory (a V8 heap each, and what their last scan left
 * in it): a mix build, which scans nothing, calls this as it starts. Workers that are scanning keep on.
 */
export async function releaseIdleScanWorkers(): Promise<void> {
  await Promise.all(idleWorkers.splice(0).map((worker) => worker.terminate()));
}

function returnWorker(worker: Worker): void {
  worker.unref();
  if (idleWorkers.length < MAX_IDLE_WORKERS) idleWorkers.push(worker);
  else void worker.terminate();
}

/**
 * Runs one task on a pooled worker, which is in `busy` while it works; it goes back to the pool only
 * after a clean finish.
 */
function runTask(task: RangeTask, onProgress: (bytes: number, records: number) => void, busy: Set<Worker>): Promise<RangeResult> {
  return new Promise<RangeResult>((resolve, reject) => {
    const worker = takeWorker();
    busy.add(worker);
    // A failed task's worker is stopped (not pooled); `busy` keeps it until it has exited, so that the
    // caller can wait for that.
    const stop = (): void => {
      void worker.terminate().finally(() => busy.delete(worker));
    };
    const onMessage = (m: ScanMessage): void => {
      if (m.type === 'progress') return onProgress(m.bytes, m.records);
      detach();
      if (m.type === 'done') {
        busy.delete(worker);
        returnWorker(worker);
        resolve(m.result);
      } else {
        stop();
        reject(Object.assign(new Error(m.message), m.code === undefined ? {} : { code: m.code }));
      }
    };
    const onError = (err: Error): void => {
      detach();
      stop();
      reject(err);
    };
    const onExit = (code: number): void => {
      detach();
      busy.delete(worker);
      reject(new Error(`scan worker exited with code ${code} before finishing`));
    };
    const detach = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(task);
  });
}

async function runWorkers(
  tasks: RangeTask[],
  signal: AbortSignal | undefined,
  onProgress: ((bytes: number, records: number) => void) | undefined,
): Promise<RangeResult[]> {
  signal?.throwIfAborted();
  const progress = tasks.map(() => ({ bytes: 0, records: 0 }));
  const workers = new Set<Worker>();
  const stopAll = (): Promise<unknown> => Promise.all([...workers].map((w) => w.terminate()));
  // A synchronous scan loop cannot see the signal: terminating its thread is what stops it.
  const onAbort = (): void => void stopAll();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.all(
      tasks.map((task, i) =>
        runTask(
          task,
          (bytes, records) => {
            progress[i] = { bytes, records };
            onProgress?.(
              progress.reduce((s, p) => s + p.bytes, 0),
              progress.reduce((s, p) => s + p.records, 0),
            );
          },
          workers,
        ),
      ),
    );
  } catch (err) {
    // Settle only once every worker of this scan has exited, so nothing scans on after the rejection.
    await stopAll();
    throw signal?.aborted ? signal.reason : err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
