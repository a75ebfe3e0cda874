import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Reads records by byte range from the sources' canonical data files with positioned reads (the page
 * cache makes these cheap); one scratch buffer, reused, so the caller must consume a record before
 * reading the next.
 */
export class RecordReader {
  private readonly fds: number[];
  private scratch = Buffer.allocUnsafe(1 << 20);

  constructor(paths: readonly string[]) {
    this.fds = paths.map((p) => openSync(p, 'r'));
  }

  read(source: number, offset: number, length: number): Buffer {
    if (length > this.scratch.length) this.scratch = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fds[source]!, this.scratch, done, length - done, offset + done);
      if (n === 0) throw new Error(`source ${source} ended at byte ${offset + done}; it changed after it was registered`);
      done += n;
    }
    return this.scratch.subarray(0, length);
  }

  close(): void {
    for (const fd of this.fds) closeSync(fd);
  }
}
