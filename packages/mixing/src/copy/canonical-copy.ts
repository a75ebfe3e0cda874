import { SourceChangedError } from '../errors.js';
import { OutputWriterMisuseError, ShardSet, inlineHash, type OutputSetResult, type ShardFile } from '../outputs/index.js';
import { requireNativeCopy, resolveCopyMode, type CopyMode } from '../native.js';
import { openBlockReads, type BlockReads } from './block-reads.js';
import { CopyWorker, type CopySession } from './copy-worker.js';
import { ReadList } from './read-list.js';

/** Output bytes per block: the unit that is read, hashed and written as one. */
export const COPY_BLOCK_BYTES = 8 << 20;
/** Records per block at most: a record's number within its block takes 16 bits of its sort key. */
const BLOCK_RECORDS = 1 << 16;
/** Blocks in the pipeline: one being read while the others are hashed and written. */
const POOL_BLOCKS = 4;
/** Bytes a shard takes in before a background flush to disk starts, so that sealing it waits less. */
const SYNC_EVERY_BYTES = 64 << 20;
/** Offsets below this fit the sort key (40 bits): 1 TiB per source file. */
const SORTABLE_OFFSET = 2 ** 40;
/** Blocks with fewer records are read by this thread alone: asking for help would cost more. */
const HELP_MIN_RECORDS = 256;

/** A block buffer and the list of reads that fill it, both in shared memory. */
interface Slot {
  readonly data: Buffer;
  readonly reads: ReadList;
}

export interface CopySource {
  readonly dataset: string;
  /** The canonical JSONL data file that offsets point into. */
  readonly path: string;
}

export interface CanonicalCopyOptions {
  readonly sources: readonly CopySource[];
  /** Where the shards go (see ShardSet); null to read blocks for `flush`'s visitor only, writing nothing. */
  readonly stagingDir: string | null;
  /** A shard is closed before a line would take it past this many bytes (lines plus newlines). */
  readonly shardBytes: number;
  readonly blockBytes?: number;
  /**
   * Where the shards' sha256 runs: on the copy worker (default), which also helps read blocks when it
   * has nothing to hash, or on this thread, which then reads alone. The bytes and digests are the same.
   */
  readonly hashing?: 'worker' | 'inline';
  /** Where the reads and shard writes run (see CopyMode); the bytes are the same. Default `auto`. */
  readonly mode?: CopyMode;
}

/** The records of one block, in mix order; valid until the visitor's promise settles. */
export interface CopiedBlock {
  readonly records: number;
  /** The block's i-th record, without its newline. */
  record(i: number): Buffer;
}

/**
 * Writes a mix's canonical JSONL by copying each record's bytes verbatim from the sources, in mix order,
 * into size-capped shards: the same bytes, shard cuts and sha256s as LineShardWriter given the same
 * records, with less work per record.
 *
 * Records are queued into blocks of about `blockBytes`. A block is read with one positioned read per
 * record (from C with the native copy, else with fs.readSync; see CopyMode), straight to the record's
 * place in the block, in (source, offset) order rather than mix order: the page cache serves nearby
 * reads faster, and the bytes land where they belong either way.
 * This thread reads from the front of that order; the copy worker, when it has nothing to hash, reads
 * from the back. Full blocks are then hashed on the worker and written by the thread pool while the
 * next block is read (with O_DIRECT under the native copy), and with buffered writes a background
 * fdatasync every SYNC_EVERY_BYTES keeps the final fsync short.
 * Blocks hold whole records, so memory stays at POOL_BLOCKS blocks (or one record, if larger).
 *
 * Usage: `while (!copy.add(source, offset, length)) await copy.flush();` per record, then
 * `await copy.flush()` and `await copy.finish()`; `abort()` removes everything on failure.
 */
export class CanonicalJsonlCopy {
  private readonly reader: BlockReads;
  private readonly set: ShardSet | null;
  private readonly blockBytes: number;
  private readonly hashing: 'worker' | 'inline';
  // The block being planned: per record, its source, offset, length and place in the block.
  private readonly source = new Uint8Array(BLOCK_RECORDS);
  private readonly offset = new Float64Array(BLOCK_RECORDS);
  private readonly length = new Uint32Array(BLOCK_RECORDS);
  private readonly place = new Uint32Array(BLOCK_RECORDS);
  /** Sort keys (source, offset, record number), written as uint32 pairs and sorted as uint64s. */
  private readonly keys = new BigUint64Array(BLOCK_RECORDS);
  private readonly keyWords = new Uint32Array(this.keys.buffer);
  private count = 0;
  private bytes = 0;
  private sortable = true;
  /** The planned block starts a new shard. */
  private opensShard = false;
  // Shard cuts are decided as records are planned, with LineShardWriter's rule.
  private planShardOpen = false;
  private planShardBytes = 0;

  private readonly free: Slot[] = [];
  private pooled = 0;
  private readonly inFlight: { slot: Slot; done: Promise<void> }[] = [];
  private readonly worker: CopyWorker | undefined;
  private readonly session: CopySession | undefined;
  private shard: ShardFile | undefined;
  private readonly sealing: Promise<void>[] = [];
  private unsynced = 0;
  private records = 0;
  private failure: unknown;
  private busy = false;
  private state: 'open' | 'finished' | 'aborted' = 'open';

  constructor(private readonly options: CanonicalCopyOptions) {
    if (!(Number.isSafeInteger(options.shardBytes) && options.shardBytes > 0)) {
      throw new RangeError(`shardBytes must be a positive integer, got ${options.shardBytes}`);
    }
    if (options.sources.length > 256) throw new RangeError('at most 256 sources');
    const mode = resolveCopyMode(options.mode ?? 'auto');
    this.set = options.stagingDir === null ? null : new ShardSet(options.stagingDir, 'jsonl', mode === 'native' ? requireNativeCopy() : undefined);
    this.blockBytes = options.blockBytes ?? COPY_BLOCK_BYTES;
    this.hashing = options.hashing ?? 'worker';
    const paths = options.sources.map((s) => s.path);
    this.reader = openBlockReads(paths, mode);
    this.worker = this.set !== null && this.hashing === 'worker' ? CopyWorker.start() : undefined;
    this.session = this.worker?.session(paths, mode);
  }

  /**
   * Queues the next record (`length` bytes at `offset` in source `source`, without its newline).
   * Returns false, queuing nothing, when the block is full or the record opens a new shard: then
   * `flush()` must be awaited and the record added again.
   */
  add(source: number, offset: number, length: number): boolean {
    if (this.busy || this.state !== 'open') throw new OutputWriterMisuseError(this.busy ? 'add during a flush' : `the copy is already ${this.state}`);
    const size = length + 1;
    const opens = !this.planShardOpen || this.planShardBytes + size > this.options.shardBytes;
    const n = this.count;
    if (n > 0 && (opens || this.bytes + size > this.blockBytes || n === BLOCK_RECORDS)) return false;
    if (opens) {
      this.opensShard = true;
      this.planShardOpen = true;
      this.planShardBytes = 0;
    }
    this.source[n] = source;
    this.offset[n] = offset;
    this.length[n] = length;
    this.place[n] = this.bytes;
    if (offset + length > SORTABLE_OFFSET) this.sortable = false;
    this.count = n + 1;
    this.bytes += size;
    this.planShardBytes += size;
    return true;
  }

  /**
   * Reads the queued records into a block, lets `visit` see them (in mix order), then hands the block
   * to the hash and the write; returns once the next block can be planned.
   */
  async flush(visit?: (block: CopiedBlock) => Promise<void>): Promise<void> {
    this.check();
    const n = this.count;
    if (n === 0) return;
    this.busy = true;
    try {
      const slot = await this.takeSlot(this.bytes);
      await this.fill(slot);
      const block = slot.data.subarray(0, this.bytes);
      if (visit !== undefined) {
        const { place, length } = this;
        await visit({ records: n, record: (i) => block.subarray(place[i]!, place[i]! + length[i]!) });
      }
      if (this.set === null) this.giveBack(slot);
      else {
        if (this.opensShard) await this.openShard();
        const shard = this.shard!;
        shard.records += n;
        const done = shard.append(block).catch((err: unknown) => {
          this.failure ??= err;
        });
        this.inFlight.push({ slot, done });
        this.unsynced += block.length;
        if (this.unsynced >= SYNC_EVERY_BYTES) {
          shard.startSync();
          this.unsynced = 0;
        }
      }
      this.records += n;
      this.count = 0;
      this.bytes = 0;
      this.sortable = true;
      this.opensShard = false;
    } finally {
      this.busy = false;
    }
  }

  /** Writes what is queued, then seals every shard (fsync, sha256); the result lists them in order. */
  async finish(): Promise<OutputSetResult> {
    await this.flush();
    this.check();
    this.busy = true;
    try {
      const set = this.set;
      if (set !== null) {
        await set.ensureDir();
        if (this.shard !== undefined) this.sealing.push(set.seal(this.shard));
        this.shard = undefined;
        await Promise.all(this.sealing);
        await Promise.all(this.inFlight.map((f) => f.done));
      }
      if (this.failure !== undefined) throw this.failure;
      this.state = 'finished';
      this.closeFiles();
      return { format: 'jsonl', dir: set?.dir ?? '', shards: set === null ? [] : [...set.shards], records: this.records };
    } finally {
      this.busy = false;
    }
  }

  /** Stops, waits for what is under way, and removes every shard written (and the directory, if this made it). */
  async abort(): Promise<void> {
    if (this.state === 'aborted') return;
    this.state = 'aborted';
    await Promise.allSettled([...this.inFlight.map((f) => f.done), ...this.sealing]);
    const shard = this.shard;
    this.shard = undefined;
    if (shard !== undefined) await shard.discard();
    await this.set?.removeAll();
    this.closeFiles();
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.busy || this.state !== 'open') throw new OutputWriterMisuseError(this.busy ? 'a call was made before the previous one settled' : `the copy is already ${this.state}`);
  }

  private async openShard(): Promise<void> {
    const set = this.set!;
    const previous = this.shard;
    if (previous !== undefined) {
      // Sealed in the background (its writes finish, then fsync) while the next shard fills.
      const sealed = set.seal(previous);
      sealed.catch((err: unknown) => {
        this.failure ??= err;
      });
      this.sealing.push(sealed);
    }
    this.shard = undefined;
    this.shard = await set.next(this.worker?.hash() ?? inlineHash());
    this.unsynced = 0;
  }

  /** A slot for `bytes`: a free one, the oldest one once its hash and write are done, or a one-off for a record larger than a block. */
  private async takeSlot(bytes: number): Promise<Slot> {
    if (bytes > this.blockBytes) return { data: Buffer.from(new SharedArrayBuffer(bytes)), reads: new ReadList(1) };
    for (;;) {
      const free = this.free.pop();
      if (free !== undefined) return free;
      if (this.pooled < POOL_BLOCKS) {
        this.pooled += 1;
        // Shared memory: the copy worker helps fill it and hashes it where it lies.
        return { data: Buffer.from(new SharedArrayBuffer(this.blockBytes)), reads: new ReadList(BLOCK_RECORDS) };
      }
      const oldest = this.inFlight.shift();
      if (oldest === undefined) throw new Error('no block free and none in flight');
      await oldest.done;
      if (this.failure !== undefined) throw this.failure;
      this.giveBack(oldest.slot);
    }
  }

  private giveBack(slot: Slot): void {
    if (slot.data.length === this.blockBytes) this.free.push(slot);
  }

  /**
   * Reads every planned record to its place in the slot, in (source, offset) order when the offsets
   * allow, with the copy worker's help when it hashes.
   */
  private async fill(slot: Slot): Promise<void> {
    const n = this.count;
    const reads = slot.reads;
    if (this.sortable) {
      const words = this.keyWords;
      for (let i = 0; i < n; i++) {
        const offset = this.offset[i]!;
        words[2 * i] = (((offset % 0x10000) << 16) | i) >>> 0;
        words[2 * i + 1] = ((this.source[i]! << 24) | Math.floor(offset / 0x10000)) >>> 0;
      }
      this.keys.subarray(0, n).sort();
      for (let k = 0; k < n; k++) this.planRead(reads, k, words[2 * k]! & 0xffff);
    } else {
      for (let i = 0; i < n; i++) this.planRead(reads, i, i);
    }
    reads.reset(n);
    // Safe to share: the block's hash request is sent after this one, and the slot is reused only once
    // that hash is done, so the worker never works on a list that has been reset since.
    const helped = this.session !== undefined && n >= HELP_MIN_RECORDS ? this.session.help(reads, slot.data.buffer as SharedArrayBuffer) : undefined;
    this.reader.read(reads, slot.data, false);
    // Reads the worker claimed may still be under way; its reply comes once they are done.
    if (!reads.complete) await helped;
    if (!reads.complete) throw new Error('the copy worker left reads undone');
    const ended = reads.endedEarly;
    if (ended !== -1) {
      const s = this.options.sources[ended]!;
      throw new SourceChangedError(s.dataset, s.path);
    }
  }

  private planRead(reads: ReadList, k: number, i: number): void {
    reads.offset[k] = this.offset[i]!;
    reads.length[k] = this.length[i]!;
    reads.place[k] = this.place[i]!;
    reads.source[k] = this.source[i]!;
  }

  private closeFiles(): void {
    this.reader.close();
    this.session?.release();
  }
}
