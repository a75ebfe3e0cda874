import { open, type FileHandle } from 'node:fs/promises';
import { LineSplitter } from './lines.js';

const CHUNK_BYTES = 256 * 1024;

/**
 * Follows a file another process appends lines to: each poll reads what was added since the last
 * one and hands over the complete lines; a partial last line waits for its end. A file that is
 * replaced (another inode) or truncated (shorter than what was read) is read again from its start.
 * A truncation followed by a rewrite longer than the old length between two polls cannot be told
 * from an append: writers that rewrite in place must be kept from doing so (see MetricsFileFollower).
 */
export class FileTail {
  private offset = 0;
  private identity: string | null = null;
  private splitter: LineSplitter;
  private readonly reported = new Set<string>();

  constructor(
    private readonly path: string,
    private readonly onLine: (line: string) => void,
    private readonly log: (line: string) => void,
  ) {
    this.splitter = new LineSplitter(onLine);
  }

  /** Reads what was appended since the last poll. A file that does not exist yet is no error; other read errors are logged once each and retried on the next poll. */
  async poll(): Promise<void> {
    let handle: FileHandle;
    try {
      handle = await open(this.path, 'r');
    } catch (err) {
      this.report(err);
      return;
    }
    try {
      const stat = await handle.stat();
      const identity = `${stat.dev}:${stat.ino}`;
      if (this.identity !== null && (identity !== this.identity || stat.size < this.offset)) {
        this.log(`${this.path} was ${identity !== this.identity ? 'replaced' : 'truncated'}: reading it again from its start`);
        this.offset = 0;
        this.splitter = new LineSplitter(this.onLine);
      }
      this.identity = identity;
      const buffer = Buffer.alloc(Math.min(CHUNK_BYTES, Math.max(stat.size - this.offset, 1)));
      while (this.offset < stat.size) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, stat.size - this.offset), this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        this.splitter.push(buffer.subarray(0, bytesRead));
      }
    } catch (err) {
      this.report(err);
    } finally {
      await handle.close();
    }
  }

  /** Reads to the end; a last line without a newline counts as a line. */
  async finish(): Promise<void> {
    await this.poll();
    this.splitter.end();
  }

  private report(err: unknown): void {
    const code = (err as NodeJS.ErrnoException).code ?? 'UNKNOWN';
    if (code === 'ENOENT' || this.reported.has(code)) return;
    this.reported.add(code);
    this.log(`cannot read ${this.path} (${(err as Error).message}); trying again`);
  }
}
