import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { regularRecords, removeTempDirs, tempDir, traitRecords } from '../testing/records.js';
import { createOutputWriter } from './create-output-writer.js';
import { OutputWriterMisuseError } from './errors.js';
import { LineShardWriter } from './line-writer.js';
import type { MixOutputWriter, OutputSetResult } from './types.js';

after(removeTempDirs);

const canonical = (records: readonly unknown[]): Buffer[] => records.map((r) => Buffer.from(JSON.stringify(r)));

async function writeAll(writer: MixOutputWriter, lines: readonly Buffer[]): Promise<OutputSetResult> {
  for (const line of lines) await writer.write(line);
  return writer.finish();
}

/** Reads every shard back and checks what the result claims about it. */
async function readShards(result: OutputSetResult): Promise<Buffer[]> {
  assert.deepEqual(
    (await readdir(result.dir)).sort(),
    result.shards.map((s) => s.file),
  );
  const out: Buffer[] = [];
  for (const s of result.shards) {
    const bytes = await readFile(join(result.dir, s.file));
    assert.equal(bytes.length, s.bytes, `${s.file} size`);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), s.sha256, `${s.file} sha256`);
    assert.equal(bytes.toString('utf8').split('\n').length - 1, s.records, `${s.file} record count`);
    out.push(bytes);
  }
  return out;
}

describe('canonical jsonl writer', () => {
  it('copies each record verbatim, newline-terminated, in order', async () => {
    const lines = canonical([...regularRecords(50), ...traitRecords(50)]);
    const dir = join(await tempDir(), 'staging');
    const result = await writeAll(createOutputWriter({ format: 'jsonl', stagingDir: dir, shardBytes: 1 << 30, dataSource: 'm' }), lines);
    assert.equal(result.format, 'jsonl');
    assert.equal(result.records, 100);
    assert.deepEqual(
      result.shards.map((s) => s.file),
      ['part-00000.jsonl'],
    );
    const [only] = await readShards(result);
    assert.deepEqual(only, Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
  });

  it('starts a shard before one would exceed shardBytes, never splits a record, isolates an oversized one', async () => {
    const line = (n: number): Buffer => Buffer.from('x'.repeat(n - 1)); // n bytes with its newline
    const lines = [line(40), line(40), line(20), line(30), line(250), line(10), line(100)];
    const dir = join(await tempDir(), 'staging');
    const result = await writeAll(createOutputWriter({ format: 'jsonl', stagingDir: dir, shardBytes: 100, dataSource: 'm' }), lines);
    // 40+40+20 = 100 fits exactly; 30 opens a new shard; 250 > 100 stands alone; 10 then 100 would be 110.
    assert.deepEqual(
      result.shards.map((s) => [s.file, s.records, s.bytes]),
      [
        ['part-00000.jsonl', 3, 100],
        ['part-00001.jsonl', 1, 30],
        ['part-00002.jsonl', 1, 250],
        ['part-00003.jsonl', 1, 10],
        ['part-00004.jsonl', 1, 100],
      ],
    );
    await readShards(result);
  });

  it('shards greedily for any record sizes, buffer sizes and limits (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 0, maxLength: 60 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 512 }),
        async (sizes, shardBytes, bufferBytes) => {
          const lines = sizes.map((n, i) => Buffer.from(String.fromCharCode(97 + (i % 26)).repeat(n)));
          const dir = join(await tempDir(), 'staging');
          const result = await writeAll(new LineShardWriter('jsonl', dir, shardBytes, undefined, bufferBytes), lines);
          const shards = await readShards(result);
          assert.deepEqual(Buffer.concat(shards), Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
          let next = 0;
          for (const s of result.shards) {
            assert.ok(s.records >= 1);
            assert.ok(s.bytes <= shardBytes || s.records === 1, `${s.file}: ${s.bytes} > ${shardBytes} with ${s.records} records`);
            next += s.records;
            const following = lines[next];
            if (following !== undefined) assert.ok(s.bytes + following.length + 1 > shardBytes, 'closed a shard early');
          }
          assert.equal(next, lines.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('makes the staging directory even for an empty mix, with no shards', async () => {
    const dir = join(await tempDir(), 'staging');
    const result = await createOutputWriter({ format: 'jsonl', stagingDir: dir, shardBytes: 10, dataSource: 'm' }).finish();
    assert.deepEqual(result.shards, []);
    assert.deepEqual(await readdir(dir), []);
  });

  it('abort removes every shard and the staging directory it created', async () => {
    const dir = join(await tempDir(), 'staging');
    const writer = new LineShardWriter('jsonl', dir, 64, undefined, 32);
    for (const line of canonical(regularRecords(20))) await writer.write(line);
    assert.ok((await readdir(dir)).length > 1);
    await writer.abort();
    assert.equal(existsSync(dir), false);
    await assert.rejects(writer.write(Buffer.from('{}')), OutputWriterMisuseError);
  });

  it('abort leaves a staging directory it did not create, and the caller’s files in it', async () => {
    const dir = join(await tempDir(), 'staging');
    await mkdir(dir);
    await writeFile(join(dir, 'keep.txt'), 'mine');
    const writer = createOutputWriter({ format: 'jsonl', stagingDir: dir, shardBytes: 64, dataSource: 'm' });
    for (const line of canonical(regularRecords(20))) await writer.write(line);
    await writer.abort();
    assert.deepEqual(await readdir(dir), ['keep.txt']);
  });

  it('refuses overlapping calls and calls after finish', async () => {
    const dir = join(await tempDir(), 'staging');
    const writer = new LineShardWriter('jsonl', dir, 1 << 20, undefined, 16);
    const big = Buffer.from('y'.repeat(100));
    const first = writer.write(big); // takes the slow path: opens the shard
    await assert.rejects(writer.write(big), OutputWriterMisuseError);
    await first;
    await writer.finish();
    await assert.rejects(writer.write(big), OutputWriterMisuseError);
    await assert.rejects(writer.finish(), OutputWriterMisuseError);
  });
});
