import { close, fdatasync, fsync, open, write } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { NativeCopy } from '../native.js';
import { inlineHash, type ShardHash } from './shard-hash.js';
import type { ShardInfo } from './types.js';

const openAsync = promisify(open);
const fsyncAsync = promisify(fsync);
const fdatasyncAsync = promisify(fdatasync);
const closeAsync = promisify(close);

/** `part-00000.jsonl`: zero-padded so that a plain sort gives shard order. */
export function shardFileName(index: number, extension: string): string {
  return `part-${String(index).padStart(5, '0')}.${extension}`;
}

/**
 * One shard being written: positional writes on a raw fd, with the sha256 updated in write order as
 * the bytes are handed over, so the digest never needs a re-read. The hash runs where `hash` says:
 * this thread by default; the canonical copy passes one that runs on its worker.
 *
 * With `direct` (the native copy), appends go to the device with O_DIRECT, one at a time and in order,
 * instead of through the page cache; the last partial block is written the ordinary way at seal. A
 * file system that refuses O_DIRECT gets ordinary writes from the first append it refuses.
 */
export class ShardFile {
  private position = 0;
  /** Appends not yet settled; seal waits for them. */
  private readonly inFlight = new Set<Promise<void>>();
  /** A background fdatasync, if one is running (startSync). */
  private syncing: Promise<void> | undefined;
  private syncFailure: unknown;
  /** The O_DIRECT side of the file while direct appends go on; undefined for ordinary writes. */
  private direct: { readonly copy: NativeCopy; readonly file: object } | undefined;
  /** Direct appends run one after another: each waits for this. */
  private directQueue: Promise<void> = Promise.resolve();
  records = 0;

  private constructor(
    readonly file: string,
    readonly path: string,
    private fd: number | undefined,
    private readonly hash: ShardHash,
  ) {}

  static async create(dir: string, file: string, hash: ShardHash = inlineHash(), direct?: NativeCopy): Promise<ShardFile> {
    const path = join(dir, file);
    let fd: number | undefined;
    try {
      fd = await openAsync(path, 'wx');
      const shard = new ShardFile(file, path, fd, hash);
      const handle = direct?.directOpen(path) ?? null;
      if (direct !== undefined && handle !== null) shard.direct = { copy: direct, file: handle };
      return shard;
    } catch (err) {
      hash.discard();
      if (fd !== undefined) await closeAsync(fd).catch(() => undefined);
      throw err;
    }
  }

  get bytes(): number {
    return this.position;
  }

  /**
   * Hashes `data` and writes it at the end of the file; `data` must stay untouched until the promise
   * settles. Appends may overlap: each has its place in the file and in the hash from the call order.
   */
  append(data: Uint8Array): Promise<void> {
    const fd = this.fd;
    if (fd === undefined) return Promise.reject(new Error(`shard ${this.file} is closed`));
    const hashed = this.hash.update(data);
    const start = this.position;
    this.position += data.length;
    const written = this.direct === undefined ? writeAt(fd, data, start) : this.appendDirect(fd, data, start);
    const settled = hashed === undefined ? written : Promise.all([written, hashed]).then(() => undefined);
    this.inFlight.add(settled);
    const forget = (): void => void this.inFlight.delete(settled);
    settled.then(forget, forget);
    return settled;
  }

  /**
   * Starts flushing what has been written so far to disk in the background (unless a flush is already
   * running), so that the fsync in seal() has less left to do. Writes may go on meanwhile.
   */
  startSync(): void {
    const fd = this.fd;
    // Direct appends are on the device already; the fsync at seal flushes its cache.
    if (fd === undefined || this.syncing !== undefined || this.direct !== undefined) return;
    this.syncing = fdatasyncAsync(fd).then(
      () => {
        this.syncing = undefined;
      },
      (err: unknown) => {
        this.syncFailure ??= err;
        this.syncing = undefined;
      },
    );
  }

  /** Waits for every append, fsyncs and closes the file; returns its entry for the manifest. */
  async seal(): Promise<ShardInfo> {
    const fd = this.fd;
    if (fd === undefined) throw new Error(`shard ${this.file} is closed`);
    await Promise.all(this.inFlight);
    await this.syncing;
    if (this.syncFailure !== undefined) throw this.syncFailure;
    await this.leaveDirect(fd);
    await fsyncAsync(fd);
    this.fd = undefined;
    await closeAsync(fd);
    return { file: this.file, records: this.records, bytes: this.position, sha256: await this.hash.digest() };
  }

  /** Closes without syncing; for abort paths, where the file is about to be removed. */
  async discard(): Promise<void> {
    await Promise.allSettled(this.inFlight);
    await this.syncing;
    if (this.direct !== undefined) this.direct.copy.directFinish(this.direct.file);
    this.direct = undefined;
    this.hash.discard();
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) await closeAsync(fd).catch(() => undefined);
    await rm(this.path, { force: true });
  }

  /** The next direct append, once those before it are done; ordinary writes if O_DIRECT is refused. */
  private appendDirect(fd: number, data: Uint8Array, start: number): Promise<void> {
    const written = this.directQueue.then(async () => {
      const direct = this.direct;
      if (direct !== undefined && (await direct.copy.directAppend(direct.file, data))) return;
      await this.leaveDirect(fd);
      await writeAt(fd, data, start);
    });
    this.directQueue = written.catch(() => undefined);
    return written;
  }

  /** Ends direct appends: closes the O_DIRECT side and writes what it still holds (under one block). */
  private async leaveDirect(fd: number): Promise<void> {
    const direct = this.direct;
    if (direct === undefined) return;
    this.direct = undefined;
    const { position, tail } = direct.copy.directFinish(direct.file);
    await writeAt(fd, tail, position);
  }
}

/** Writes all of `data` at `start`, in as many positional writes as it takes. */
function writeAt(fd: number, data: Uint8Array, start: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const step = (done: number): void => {
      if (done === data.length) return resolve();
      write(fd, data, done, data.length - done, start + done, (err, n) => (err ? reject(err) : step(done + n)));
    };
    step(0);
  });
}

/** The numbered shards of one output set inside its staging directory. */
export class ShardSet {
  /** Every shard opened, in order; a shard's entry in `infos` is set once it is sealed. */
  private readonly files: ShardFile[] = [];
  private readonly infos: (ShardInfo | undefined)[] = [];
  private createdDir: boolean | undefined;

  constructor(
    readonly dir: string,
    private readonly extension: string,
    /** The native copy, to write this set's shards with O_DIRECT (see ShardFile). */
    private readonly direct?: NativeCopy,
  ) {}

  /** The sealed shards, in order (a shard still being sealed ends the list). */
  get shards(): readonly ShardInfo[] {
    const out: ShardInfo[] = [];
    for (const info of this.infos) {
      if (info === undefined) break;
      out.push(info);
    }
    return out;
  }

  /** Creates the staging directory on first use, remembering whether it was this writer that made it. */
  async ensureDir(): Promise<void> {
    if (this.createdDir !== undefined) return;
    const existed = await stat(this.dir).then(
      () => true,
      () => false,
    );
    await mkdir(this.dir, { recursive: true });
    this.createdDir = !existed;
  }

  /**
   * Opens the next shard; `hash` says where its sha256 runs (this thread by default). A shard may be
   * opened while the one before is still being sealed.
   */
  async next(hash?: ShardHash): Promise<ShardFile> {
    await this.ensureDir();
    const shard = await ShardFile.create(this.dir, shardFileName(this.files.length, this.extension), hash, this.direct);
    this.files.push(shard);
    this.infos.push(undefined);
    return shard;
  }

  async seal(shard: ShardFile): Promise<void> {
    const at = this.files.indexOf(shard);
    if (at === -1) throw new Error(`shard ${shard.file} is not one of this set's`);
    this.infos[at] = await shard.seal();
  }

  /** Removes every shard this set opened, and the directory too if this set created it. */
  async removeAll(): Promise<void> {
    await Promise.all(this.files.map((s) => rm(s.path, { force: true })));
    this.files.length = 0;
    this.infos.length = 0;
    // A directory the caller made is theirs (it may hold other files); only one we made goes.
    if (this.createdDir === true) await rm(this.dir, { recursive: true, force: true });
  }
}
