import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { removeTempDirs, tempDir, traitRecords } from '../testing/records.js';
import { createOutputWriter } from './create-output-writer.js';
import { OutputExistsError } from './errors.js';
import { publishOutputs } from './publish.js';

after(removeTempDirs);

describe('publishOutputs', () => {
  it('finalDir is absent until published and then holds every shard at once', async () => {
    const root = await tempDir();
    const staging = join(root, '.mix.staging');
    const finalDir = join(root, 'mixes', 'mix-1');
    const writer = createOutputWriter({ format: 'jsonl', stagingDir: staging, shardBytes: 4096, dataSource: 'm' });

    // A reader polling throughout: it must only ever see no directory or the complete set.
    const seen = new Set<number>();
    let expected = -1;
    const poll = setInterval(() => {
      if (existsSync(finalDir)) seen.add(readdirSync(finalDir).length);
      else seen.add(0);
    }, 0);
    try {
      for (const r of traitRecords(2000)) {
        await writer.write(Buffer.from(JSON.stringify(r)));
        assert.equal(existsSync(finalDir), false);
      }
      const result = await writer.finish();
      await writeFile(join(staging, 'manifest.json'), '{}');
      expected = result.shards.length + 1;
      assert.ok(result.shards.length > 3);
      await publishOutputs(staging, finalDir);
      await new Promise((resolve) => setTimeout(resolve, 5));
    } finally {
      clearInterval(poll);
    }
    assert.equal(existsSync(staging), false);
    assert.equal((await readdir(finalDir)).length, expected);
    assert.deepEqual([...seen].filter((n) => n !== 0 && n !== expected), []);
  });

  it('refuses to replace an existing output, even an empty one, and leaves staging intact', async () => {
    const root = await tempDir();
    const staging = join(root, 'staging');
    const writer = createOutputWriter({ format: 'jsonl', stagingDir: staging, shardBytes: 4096, dataSource: 'm' });
    await writer.write(Buffer.from('{"id":"a"}'));
    await writer.finish();
    for (const existing of ['empty', 'full']) {
      const finalDir = join(root, existing);
      await mkdir(finalDir);
      if (existing === 'full') await writeFile(join(finalDir, 'part-00000.jsonl'), 'old\n');
      await assert.rejects(publishOutputs(staging, finalDir), OutputExistsError);
      assert.deepEqual(await readdir(staging), ['part-00000.jsonl']);
    }
  });
});
