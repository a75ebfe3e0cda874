import { closeSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { NativeCopyUnavailableError } from '../errors.js';
import { readClaimed, type ReadList } from './read-list.js';

/**
 * Who makes the one positioned read per record that fills a block:
 * - `native`: the native record copy (native/record-copy.c, built with the package when a C compiler
 *   and Node's headers are present), a loop of pread calls in C;
 * - `node`: `fs.readSync` per record, in TypeScript;
 * - `auto` (the default): `native` when it is built, else `node`.
 * The bytes written are the same either way.
 */
export type CopyReads = 'auto' | 'native' | 'node';

interface NativeRecordCopy {
  open(path: string): object;
  close(source: object): void;
  copyClaimed(list: Uint8Array, capacity: number, target: Uint8Array, fromBack: boolean, sources: readonly object[]): void;
}

let native: NativeRecordCopy | null | undefined;

/** The native record copy, or null when it was not built (or cannot load here). */
export function nativeRecordCopy(): NativeRecordCopy | null {
  if (native === undefined) {
    try {
      native = createRequire(import.meta.url)('../native/record-copy.node') as NativeRecordCopy;
    } catch {
      native = null;
    }
  }
  return native;
}

/** Whether the native record copy is built and loads in this process. */
export function nativeRecordCopyAvailable(): boolean {
  return nativeRecordCopy() !== null;
}

/** `auto` made definite for this process. */
export function resolveCopyReads(reads: CopyReads): 'native' | 'node' {
  if (reads === 'node') return 'node';
  if (nativeRecordCopy() !== null) return 'native';
  if (reads === 'native') throw new NativeCopyUnavailableError();
  return 'node';
}

/** Works through read lists over one set of source files; each thread that reads holds its own. */
export interface BlockReads {
  /** Reads the records of `list` this thread claims into `target` (see read-list.ts `readClaimed`). */
  read(list: ReadList, target: Uint8Array, fromBack: boolean): void;
  close(): void;
}

/** Opens every source now, so that a missing file fails before any work. */
export function openBlockReads(paths: readonly string[], reads: 'native' | 'node'): BlockReads {
  if (reads === 'native') {
    const copy = nativeRecordCopy();
    if (copy === null) throw new NativeCopyUnavailableError();
    const sources: object[] = [];
    try {
      for (const p of paths) sources.push(copy.open(p));
    } catch (err) {
      for (const s of sources) copy.close(s);
      throw err;
    }
    return {
      read(list, target, fromBack) {
        copy.copyClaimed(list.bytes, list.capacity, target, fromBack, sources);
      },
      close() {
        for (const s of sources.splice(0)) copy.close(s);
      },
    };
  }
  const fds: number[] = [];
  try {
    for (const p of paths) fds.push(openSync(p, 'r'));
  } catch (err) {
    for (const fd of fds) closeSync(fd);
    throw err;
  }
  const fdOf = (source: number): number => fds[source]!;
  return {
    read(list, target, fromBack) {
      readClaimed(list, fdOf, target, fromBack);
    },
    close() {
      for (const fd of fds.splice(0)) closeSync(fd);
    },
  };
}
