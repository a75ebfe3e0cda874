import { createRequire } from 'node:module';
import { NativeCopyUnavailableError } from './errors.js';

/**
 * The native copy (native/record-copy.c), built with the package when a C compiler and Node's headers
 * are present. It does the two kinds of I/O a mix copy does most of:
 * - reading records: one N-API call works through a block's read list with pread;
 * - writing the canonical shards with O_DIRECT, so that a block goes from the copy's memory to the
 *   device without a page-cache copy.
 * Without it, fs.readSync and buffered writes do the same work; the bytes written are the same.
 */
export interface NativeCopy {
  open(path: string): object;
  close(source: object): void;
  copyClaimed(list: Uint8Array, capacity: number, target: Uint8Array, fromBack: boolean, sources: readonly object[]): void;
  /** The existing file opened with O_DIRECT for writing, or null where its file system refuses that. */
  directOpen(path: string): object | null;
  /** Resolves false, writing nothing, when the file system refuses O_DIRECT writes after all. */
  directAppend(file: object, data: Uint8Array): Promise<boolean>;
  /** Closes the O_DIRECT descriptor; `tail` (under one aligned block) is still to be written at `position`. */
  directFinish(file: object): { position: number; tail: Buffer };
}

/**
 * Where the copy's I/O runs:
 * - `native`: the native copy (reads in C, shard writes with O_DIRECT where the file system allows);
 * - `node`: fs.readSync per record and buffered writes;
 * - `auto` (the default): `native` when it is built, else `node`.
 */
export type CopyMode = 'auto' | 'native' | 'node';

let loaded: NativeCopy | null | undefined;

/** The native copy, or null when it was not built (or cannot load here). */
export function nativeCopy(): NativeCopy | null {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('./native/record-copy.node') as NativeCopy;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/** Whether the native copy is built and loads in this process. */
export function nativeCopyAvailable(): boolean {
  return nativeCopy() !== null;
}

/** `auto` made definite for this process; `native` where it is not built is an error. */
export function resolveCopyMode(mode: CopyMode): 'native' | 'node' {
  if (mode === 'node') return 'node';
  if (nativeCopy() !== null) return 'native';
  if (mode === 'native') throw new NativeCopyUnavailableError();
  return 'node';
}

/** The native copy where `mode` says to use it; throws if it is asked for and not built. */
export function requireNativeCopy(): NativeCopy {
  const copy = nativeCopy();
  if (copy === null) throw new NativeCopyUnavailableError();
  return copy;
}
