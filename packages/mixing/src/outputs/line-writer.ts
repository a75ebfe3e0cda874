import { OutputWriterMisuseError } from './errors.js';
import { ShardSet, type ShardFile } from './shard-files.js';
import type { MixOutputWriter, OutputFormat, OutputSetResult } from './types.js';

/** Size of each of the two staging buffers: large enough that a write syscall moves megabytes. */
export const LINE_BUFFER_BYTES = 16 << 20;

const NEWLINE = 0x0a;
const DONE: Promise<void> = Promise.resolve();

/**
 * Writes LF-terminated lines into size-capped shards. The hot path (a record that fits the buffer
 * and the shard) is a memcpy and returns an already-settled promise: no syscall, no allocation.
 * Two buffers alternate, so one is being written by the thread pool while the other fills; the
 * sha256 is updated on the main thread as each buffer is handed over.
 *
 * `shardBytes` counts the shard's bytes exactly (lines plus their newlines): a shard is closed
 * before a line would take it past the limit, and a line longer than the limit gets a shard of
 * its own.
 */
export class LineShardWriter implements MixOutputWriter {
  private readonly set: ShardSet;
  private readonly buffers: [Buffer, Buffer];
  private current: 0 | 1 = 0;
  private used = 0;
  private shard: ShardFile | undefined;
  /** The write of the other buffer, if one is under way; it must finish before that buffer is refilled. */
  private inFlight: Promise<void> = DONE;
  private failure: unknown;
  private busy = false;
  private state: 'open' | 'finished' | 'aborted' = 'open';
  private records = 0;

  constructor(
    private readonly format: OutputFormat,
    stagingDir: string,
    private readonly shardBytes: number,
    /** Turns canonical bytes into the line to write; absent for canonical JSONL (bytes copied verbatim). */
    private readonly encode?: (bytes: Buffer) => Buffer,
    bufferBytes = LINE_BUFFER_BYTES,
  ) {
    this.set = new ShardSet(stagingDir, 'jsonl');
    this.buffers = [Buffer.allocUnsafe(bufferBytes), Buffer.allocUnsafe(bufferBytes)];
  }

  write(bytes: Buffer): Promise<void> {
    if (this.busy || this.state !== 'open' || this.failure !== undefined) return this.refuse();
    let line = bytes;
    if (this.encode !== undefined) {
      // write() is not async (the hot path allocates no promise), so a throw must become a rejection here.
      try {
        line = this.encode(bytes);
      } catch (err) {
        return Promise.reject(err);
      }
    }
    const size = line.length + 1;
    const shard = this.shard;
    const buffer = this.buffers[this.current];
    if (shard === undefined || buffer.length - this.used < size || (shard.records > 0 && shard.bytes + this.used + size > this.shardBytes)) {
      return this.slowWrite(line);
    }
    line.copy(buffer, this.used);
    buffer[this.used + line.length] = NEWLINE;
    this.used += size;
    shard.records += 1;
    this.records += 1;
    return DONE;
  }

  async finish(): Promise<OutputSetResult> {
    if (this.busy || this.state !== 'open') return this.refuse();
    this.busy = true;
    try {
      await this.set.ensureDir();
      if (this.shard !== undefined) await this.sealShard(this.shard);
      this.throwIfFailed();
      this.state = 'finished';
      return { format: this.format, dir: this.set.dir, shards: [...this.set.shards], records: this.records };
    } finally {
      this.busy = false;
    }
  }

  async abort(): Promise<void> {
    if (this.state === 'aborted') return;
    this.state = 'aborted';
    await this.inFlight;
    const shard = this.shard;
    this.shard = undefined;
    if (shard !== undefined) await shard.discard();
    await this.set.removeAll();
  }

  private refuse(): Promise<never> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const reason = this.busy ? 'a call was made before the previous one settled' : `the writer is already ${this.state}`;
    return Promise.reject(new OutputWriterMisuseError(reason));
  }

  private async slowWrite(line: Buffer): Promise<void> {
    this.busy = true;
    try {
      const size = line.length + 1;
      let shard = this.shard;
      if (shard !== undefined && shard.records > 0 && shard.bytes + this.used + size > this.shardBytes) {
        await this.sealShard(shard);
        shard = undefined;
      }
      if (shard === undefined) {
        shard = await this.set.next();
        this.shard = shard;
      }
      if (this.buffers[this.current].length - this.used < size) await this.handOver(shard);
      const buffer = this.buffers[this.current];
      if (size > buffer.length) {
        // Larger than a whole buffer: write it straight from the caller's memory.
        await this.inFlight;
        this.throwIfFailed();
        await shard.append(line);
        await shard.append(Buffer.of(NEWLINE));
      } else {
        line.copy(buffer, this.used);
        buffer[this.used + line.length] = NEWLINE;
        this.used += size;
      }
      shard.records += 1;
      this.records += 1;
    } finally {
      this.busy = false;
    }
  }

  /** Starts writing the filled buffer and switches to the other one once its own write is done. */
  private async handOver(shard: ShardFile): Promise<void> {
    await this.inFlight;
    this.throwIfFailed();
    if (this.used === 0) return;
    const filled = this.buffers[this.current].subarray(0, this.used);
    this.inFlight = shard.append(filled).catch((err: unknown) => {
      this.failure ??= err;
    });
    this.current = this.current === 0 ? 1 : 0;
    this.used = 0;
  }

  private async sealShard(shard: ShardFile): Promise<void> {
    await this.handOver(shard);
    await this.inFlight;
    this.throwIfFailed();
    this.shard = undefined;
    await this.set.seal(shard);
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
