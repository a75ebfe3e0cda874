import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { regularRecords, removeTempDirs, tempDir, traitRecords } from '../testing/records.js';
import { createOutputWriter } from './create-output-writer.js';
import { readParquetWithPyarrow } from './testing/pyarrow.js';
import { VERL_ROW_GROUP_ROWS } from './verl-writer.js';

after(removeTempDirs);

describe('verl parquet writer (read back by pyarrow)', () => {
  it('writes verl rows with nested prompt, reward_model and extra_info', async () => {
    const records = [...traitRecords(3), ...regularRecords(2)];
    const dir = join(await tempDir(), 'staging');
    const writer = createOutputWriter({ format: 'verl', stagingDir: dir, shardBytes: 1 << 30, dataSource: 'mix-123' });
    for (const r of records) await writer.write(Buffer.from(JSON.stringify(r)));
    const result = await writer.finish();
    assert.deepEqual(
      result.shards.map((s) => [s.file, s.records]),
      [['part-00000.parquet', 5]],
    );
    const table = await readParquetWithPyarrow(join(dir, 'part-00000.parquet'));
    assert.deepEqual(table.fields, {
      data_source: 'string',
      prompt: 'list<element: struct<role: string, content: string>>',
      ability: 'string',
      reward_model: 'struct<style: string, ground_truth: string>',
      extra_info: 'struct<id: string, index: int64, tags: string>',
    });
    assert.deepEqual(
      table.rows,
      records.map((r, index) => ({
        data_source: 'mix-123',
        prompt: [r.messages[0]],
        ability: r.tags.kind === 'trait' ? `trait/${r.tags.trait}` : `regular/${r.tags.domain}`,
        reward_model: { style: 'rule', ground_truth: r.messages[1]?.content },
        extra_info: { id: r.id, index, tags: JSON.stringify(r.tags) },
      })),
    );
  });

  it('shards by canonical bytes across several row groups, with correct sha256s', async () => {
    const records = traitRecords(2 * VERL_ROW_GROUP_ROWS + 500);
    const lines = records.map((r) => Buffer.from(JSON.stringify(r)));
    const total = lines.reduce((n, l) => n + l.length + 1, 0);
    const shardBytes = Math.ceil(total / 2.5);
    const dir = join(await tempDir(), 'staging');
    const writer = createOutputWriter({ format: 'verl', stagingDir: dir, shardBytes, dataSource: 'm' });
    for (const line of lines) await writer.write(line);
    const result = await writer.finish();
    assert.equal(result.shards.length, 3);
    assert.deepEqual(
      (await readdir(dir)).sort(),
      ['part-00000.parquet', 'part-00001.parquet', 'part-00002.parquet'],
    );
    let next = 0;
    for (const s of result.shards) {
      const bytes = await readFile(join(dir, s.file));
      assert.equal(bytes.length, s.bytes);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), s.sha256);
      const table = await readParquetWithPyarrow(join(dir, s.file));
      assert.equal(table.numRows, s.records);
      const inShard = lines.slice(next, next + s.records).reduce((n, l) => n + l.length + 1, 0);
      assert.ok(inShard <= shardBytes);
      const following = lines[next + s.records];
      if (following !== undefined) assert.ok(inShard + following.length + 1 > shardBytes, 'closed a shard early');
      const firstRow = table.rows[0] as { extra_info: { id: string; index: number } };
      assert.deepEqual(firstRow.extra_info.id, records[next]?.id);
      assert.equal(firstRow.extra_info.index, next);
      next += s.records;
    }
    assert.equal(next, records.length);
  });

  it('abort removes the partial parquet output', async () => {
    const dir = join(await tempDir(), 'staging');
    const writer = createOutputWriter({ format: 'verl', stagingDir: dir, shardBytes: 2000, dataSource: 'm' });
    for (const r of traitRecords(100)) await writer.write(Buffer.from(JSON.stringify(r)));
    await writer.abort();
    assert.equal(existsSync(dir), false);
  });
});
