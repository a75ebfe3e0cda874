import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { SourceChangedError } from '../errors.js';
import { LineShardWriter } from '../outputs/line-writer.js';
import { OutputWriterMisuseError, type OutputSetResult } from '../outputs/index.js';
import { removeTempDirs, tempDir } from '../testing/records.js';
import { nativeCopyAvailable } from '../native.js';
import { CanonicalJsonlCopy, type CanonicalCopyOptions } from './canonical-copy.js';

after(removeTempDirs);

/** Every way of reading records this host has: `node` always, `native` where it is built. */
const READS = nativeCopyAvailable() ? (['node', 'native'] as const) : (['node'] as const);

interface Source {
  readonly path: string;
  /** Per record: offset and length in the file. */
  readonly records: { offset: number; length: number }[];
  readonly bytes: Buffer;
}

/** A JSONL file of `sizes.length` lines of the given lengths (each line's text is distinct). */
async function sourceFile(dir: string, name: string, sizes: readonly number[]): Promise<Source> {
  const lines = sizes.map((n, i) => `${name}${i}:`.padEnd(n, String.fromCharCode(97 + (i % 26))).slice(0, n));
  const records: Source['records'] = [];
  let offset = 0;
  for (const line of lines) {
    records.push({ offset, length: Buffer.byteLength(line) });
    offset += Buffer.byteLength(line) + 1;
  }
  const bytes = Buffer.from(lines.map((l) => `${l}\n`).join(''));
  const path = join(dir, `${name}.jsonl`);
  await writeFile(path, bytes);
  return { path, records, bytes };
}

async function copyAll(options: Omit<CanonicalCopyOptions, 'sources'>, sources: readonly Source[], picks: readonly [number, number][]): Promise<OutputSetResult> {
  const copy = new CanonicalJsonlCopy({ ...options, sources: sources.map((s, i) => ({ dataset: `d${i}`, path: s.path })) });
  for (const [s, r] of picks) {
    const { offset, length } = sources[s]!.records[r]!;
    while (!copy.add(s, offset, length)) await copy.flush();
  }
  return copy.finish();
}

/** What LineShardWriter makes of the same records: the reference for bytes, shard cuts and sha256s. */
async function reference(dir: string, shardBytes: number, sources: readonly Source[], picks: readonly [number, number][]): Promise<OutputSetResult> {
  const writer = new LineShardWriter('jsonl', dir, shardBytes);
  for (const [s, r] of picks) {
    const { offset, length } = sources[s]!.records[r]!;
    await writer.write(sources[s]!.bytes.subarray(offset, offset + length));
  }
  return writer.finish();
}

async function shardBytes(result: OutputSetResult): Promise<Buffer[]> {
  return Promise.all(result.shards.map((s) => readFile(join(result.dir, s.file))));
}

describe('canonical JSONL copy', () => {
  it('writes the bytes, shards and sha256s LineShardWriter writes, for any records, blocks and limits (property)', async () => {
    const dir = await tempDir();
    const sources = [
      await sourceFile(dir, 'a', Array.from({ length: 40 }, (_, i) => 1 + ((i * 37) % 150))),
      await sourceFile(dir, 'b', [1, 2, 3, 700, 5, 64, 65, 66, 300]),
    ];
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.tuple(fc.constant(0), fc.nat(39)), fc.tuple(fc.constant(1), fc.nat(8))), { maxLength: 80 }),
        fc.integer({ min: 1, max: 900 }),
        fc.integer({ min: 1, max: 1200 }),
        fc.constantFrom<'worker' | 'inline'>('worker', 'inline'),
        fc.constantFrom(...READS),
        async (picks, limit, blockBytes, hashing, reads) => {
          const n = run++;
          const got = await copyAll({ stagingDir: join(dir, `copy-${n}`), shardBytes: limit, blockBytes, hashing, mode: reads }, sources, picks);
          const want = await reference(join(dir, `ref-${n}`), limit, sources, picks);
          assert.deepEqual(got.shards, want.shards);
          assert.equal(got.records, picks.length);
          assert.deepEqual(await shardBytes(got), await shardBytes(want));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('gives the same bytes whether the worker hashes and helps read or this thread does both, and whoever reads the records', async () => {
    const dir = await tempDir();
    const sizes = Array.from({ length: 3000 }, (_, i) => 20 + ((i * 7919) % 400));
    const sources = [await sourceFile(dir, 'big', sizes), await sourceFile(dir, 'small', sizes.slice(0, 500))];
    // A seeded shuffle of every record, with some twice (as upsampling repeats them).
    const picks: [number, number][] = [...sizes.map((_, i): [number, number] => [0, (i * 1103) % 3000]), ...Array.from({ length: 700 }, (_, i): [number, number] => [1, (i * 31) % 500])];
    const results = [];
    for (const reads of READS) {
      for (const hashing of ['inline', 'worker', 'worker'] as const) {
        const result = await copyAll({ stagingDir: join(dir, `${reads}-${hashing}-${results.length}`), shardBytes: 300_000, blockBytes: 64 << 10, hashing, mode: reads }, sources, picks);
        results.push({ shards: result.shards, bytes: await shardBytes(result) });
      }
    }
    assert.ok(results[0]!.shards.length > 1);
    for (const result of results.slice(1)) assert.deepEqual(result, results[0]);
  });

  it('shows each block’s records to the visitor in mix order, and writes nothing without a staging directory', async () => {
    const dir = await tempDir();
    const source = await sourceFile(dir, 's', Array.from({ length: 50 }, (_, i) => 10 + i));
    const copy = new CanonicalJsonlCopy({ sources: [{ dataset: 's', path: source.path }], stagingDir: null, shardBytes: 1 << 20, blockBytes: 200 });
    const seen: string[] = [];
    const visit = async (block: { records: number; record(i: number): Buffer }): Promise<void> => {
      for (let i = 0; i < block.records; i++) seen.push(block.record(i).toString());
    };
    const order = Array.from({ length: 50 }, (_, i) => (i * 17) % 50);
    for (const r of order) {
      const { offset, length } = source.records[r]!;
      while (!copy.add(0, offset, length)) await copy.flush(visit);
    }
    await copy.flush(visit);
    const result = await copy.finish();
    assert.deepEqual(
      seen,
      order.map((r) => source.bytes.subarray(source.records[r]!.offset, source.records[r]!.offset + source.records[r]!.length).toString()),
    );
    assert.deepEqual(result.shards, []);
    assert.deepEqual(await readdir(dir), ['s.jsonl']);
  });

  it('abort removes every shard, and the staging directory it made', async () => {
    const dir = await tempDir();
    const source = await sourceFile(dir, 's', Array.from({ length: 200 }, () => 50));
    const staging = join(dir, 'staging');
    const copy = new CanonicalJsonlCopy({ sources: [{ dataset: 's', path: source.path }], stagingDir: staging, shardBytes: 1000, blockBytes: 300 });
    for (let r = 0; r < 150; r++) {
      const { offset, length } = source.records[r]!;
      while (!copy.add(0, offset, length)) await copy.flush();
    }
    await copy.flush();
    assert.ok((await readdir(staging)).length > 2, 'several shards were under way');
    await copy.abort();
    assert.equal(existsSync(staging), false);
    assert.throws(() => copy.add(0, 0, 10), OutputWriterMisuseError);
  });

  for (const reads of READS) {
    it(`fails with SourceChangedError when a source is shorter than its records say (${reads} reads)`, async () => {
      const dir = await tempDir();
      const source = await sourceFile(dir, 's', Array.from({ length: 400 }, () => 30));
      await truncate(source.path, 3000);
      const copy = new CanonicalJsonlCopy({ sources: [{ dataset: 'mine', path: source.path }], stagingDir: join(dir, 'staging'), shardBytes: 1 << 20, mode: reads });
      // Enough records that the copy worker helps read them: both threads must report the short file.
      for (const { offset, length } of source.records) assert.ok(copy.add(0, offset, length));
      await assert.rejects(copy.flush(), (e: unknown) => e instanceof SourceChangedError && e.dataset === 'mine');
      await copy.abort();
      assert.equal(existsSync(join(dir, 'staging')), false);
    });
  }

  it('has the native record copy wherever a C compiler and the headers of this Node are present', (t) => {
    const headers = join(dirname(process.execPath), '..', 'include', 'node', 'node_api.h');
    const compiler = spawnSync(process.env['CC'] ?? 'cc', ['--version'], { stdio: 'ignore' });
    if (!existsSync(headers) || compiler.status !== 0) {
      t.skip(`no C compiler or no Node headers at ${headers}: the native record copy cannot be built here`);
      return;
    }
    // Built by scripts/build-native.mjs with the package; a failure there shows up here.
    assert.equal(nativeCopyAvailable(), true);
  });
});
