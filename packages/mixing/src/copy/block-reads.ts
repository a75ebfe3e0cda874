import { closeSync, openSync } from 'node:fs';
import { requireNativeCopy } from '../native.js';
import { readClaimed, type ReadList } from './read-list.js';

/** Works through read lists over one set of source files; each thread that reads holds its own. */
export interface BlockReads {
  /** Reads the records of `list` this thread claims into `target` (see read-list.ts `readClaimed`). */
  read(list: ReadList, target: Uint8Array, fromBack: boolean): void;
  close(): void;
}

/** Opens every source now, so that a missing file fails before any work. */
export function openBlockReads(paths: readonly string[], reads: 'native' | 'node'): BlockReads {
  if (reads === 'native') {
    const copy = requireNativeCopy();
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
