import { createHash, type Hash } from 'node:crypto';
import { close, fsync, open, write } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ShardInfo } from './types.js';

const openAsync = promisify(open);
const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);

/** `part-00000.jsonl`: zero-padded so that a plain sort gives shard order. */
export function shardFileName(index: number, extension: string): string {
  return `part-${String(index).padStart(5, '0')}.${extension}`;
}

/**
 * One shard being written: positional writes on a raw fd, with the sha256 updated in write order as
 * the bytes are handed over, so the digest never needs a re-read.
 */
export class ShardFile {
  private readonly hash: Hash = createHash('sha256');
  private position = 0;
  records = 0;

  private constructor(
    readonly file: string,
    readonly path: string,
    private fd: number | undefined,
  ) {}

  static async create(dir: string, file: string): Promise<ShardFile> {
    const path = join(dir, file);
    return new ShardFile(file, path, await openAsync(path, 'wx'));
  }

  get bytes(): number {
    return this.position;
  }

  /** Hashes `data` now and writes it at the end of the file; `data` must stay untouched until the promise settles. */
  append(data: Uint8Array): Promise<void> {
    const fd = this.fd;
    if (fd === undefined) return Promise.reject(new Error(`shard ${this.file} is closed`));
    this.hash.update(data);
    const start = this.position;
    this.position += data.length;
    return new Promise((resolve, reject) => {
      const step = (done: number): void => {
        if (done === data.length) return resolve();
        write(fd, data, done, data.length - done, start + done, (err, n) => (err ? reject(err) : step(done + n)));
      };
      step(0);
    });
  }

  /** fsyncs and closes the file; returns its entry for the manifest. */
  async seal(): Promise<ShardInfo> {
    const fd = this.fd;
    if (fd === undefined) throw new Error(`shard ${this.file} is closed`);
    await fsyncAsync(fd);
    this.fd = undefined;
    await closeAsync(fd);
    return { file: this.file, records: this.records, bytes: this.position, sha256: this.hash.digest('hex') };
  }

  /** Closes without syncing; for abort paths, where the file is about to be removed. */
  async discard(): Promise<void> {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) await closeAsync(fd).catch(() => undefined);
    await rm(this.path, { force: true });
  }
}

/** The numbered shards of one output set inside its staging directory. */
export class ShardSet {
  private readonly sealed: ShardInfo[] = [];
  private createdDir: boolean | undefined;

  constructor(
    readonly dir: string,
    private readonly extension: string,
  ) {}

  get shards(): readonly ShardInfo[] {
    return this.sealed;
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

  async next(): Promise<ShardFile> {
    await this.ensureDir();
    return ShardFile.create(this.dir, shardFileName(this.sealed.length, this.extension));
  }

  async seal(shard: ShardFile): Promise<void> {
    this.sealed.push(await shard.seal());
  }

  /** Removes every sealed shard, and the directory too if this set created it. */
  async removeAll(): Promise<void> {
    await Promise.all(this.sealed.map((s) => rm(join(this.dir, s.file), { force: true })));
    this.sealed.length = 0;
    // A directory the caller made is theirs (it may hold other files); only one we made goes.
    if (this.createdDir === true) await rm(this.dir, { recursive: true, force: true });
  }
}
