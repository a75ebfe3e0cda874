import { createHash } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { EligibleRecords } from './eligible.js';
import { SourceChangedError } from './errors.js';
import { tempPathFor } from './atomic-file.js';
import { interleave } from './schedule.js';

export interface SelectedComponent {
  readonly dataset: string;
  readonly path: string;
  /** Source size seen by the scan; a different size now means the file changed underneath us. */
  readonly sourceBytes: number;
  /** Positions [0, count) hold the selected records in output order. */
  readonly records: EligibleRecords;
  readonly count: number;
}

export interface WrittenMix {
  readonly sha256: string;
  readonly bytes: number;
  readonly records: number;
  /** Output records per interned tag tuple. */
  readonly countPerTagId: Uint32Array;
}

const BUFFER_BYTES = 1 << 20;
// Records copied between event-loop turns: small enough that an abort lands within milliseconds.
const RECORDS_PER_TURN = 4096;

/**
 * Pass 2: copies each selected byte range verbatim, LF-terminated, in interleaved order into a temp
 * file that is renamed onto `path` only once complete. Reads are synchronous preads: the order is
 * random, so readahead cannot help, and an async round trip per record would dominate the run time.
 */
export async function writeMix(options: {
  path: string;
  components: readonly SelectedComponent[];
  tagCount: number;
  signal?: AbortSignal;
  onProgress?: (records: number, bytes: number) => void;
}): Promise<WrittenMix> {
  const { components, signal } = options;
  const tmp = tempPathFor(options.path);
  const hash = createHash('sha256');
  const countPerTagId = new Uint32Array(options.tagCount);
  const cursors = components.map(() => 0);
  const sourceFds = new Map<string, number>();
  let outFd: number | undefined;
  let buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  let used = 0;
  let bytes = 0;
  let records = 0;

  const flush = (): void => {
    if (outFd === undefined || used === 0) return;
    const view = buffer.subarray(0, used);
    let written = 0;
    while (written < used) written += writeSync(outFd, view, written, used - written);
    hash.update(view);
    bytes += used;
    used = 0;
    options.onProgress?.(records, bytes);
  };

  try {
    for (const c of components) {
      if (sourceFds.has(c.path)) continue;
      const fd = openSync(c.path, 'r');
      sourceFds.set(c.path, fd);
      if (fstatSync(fd).size !== c.sourceBytes) throw new SourceChangedError(c.dataset, c.path);
    }
    outFd = openSync(tmp, 'wx');
    for (const which of interleave(components.map((c) => c.count))) {
      const c = components[which];
      if (c === undefined) continue;
      const i = cursors[which] ?? 0;
      cursors[which] = i + 1;
      const length = c.records.length(i);
      if (used + length + 1 > buffer.length) {
        flush();
        if (length + 1 > buffer.length) buffer = Buffer.allocUnsafe(length + 1);
      }
      const fd = sourceFds.get(c.path) ?? -1;
      const got = readSync(fd, buffer, used, length, c.records.offset(i));
      if (got !== length) throw new SourceChangedError(c.dataset, c.path);
      buffer[used + length] = 0x0a;
      used += length + 1;
      const tagId = c.records.tagId(i);
      countPerTagId[tagId] = (countPerTagId[tagId] ?? 0) + 1;
      records += 1;
      if (records % RECORDS_PER_TURN === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        signal?.throwIfAborted();
      }
    }
    flush();
    fsyncSync(outFd);
    closeSync(outFd);
    outFd = undefined;
    signal?.throwIfAborted();
    await rename(tmp, options.path);
    return { sha256: hash.digest('hex'), bytes, records, countPerTagId };
  } catch (err) {
    if (outFd !== undefined) closeSync(outFd);
    await rm(tmp, { force: true });
    throw err;
  } finally {
    for (const fd of sourceFds.values()) closeSync(fd);
  }
}
