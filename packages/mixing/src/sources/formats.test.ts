import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { removeTempDirs, tempDir } from '../testing/records.js';
import { sha256OfFile } from './formats.js';

after(removeTempDirs);

it('sha256OfFile matches a one-shot sha256 at every chunk and slice boundary', async () => {
  const dir = await tempDir();
  const MB = 1 << 20;
  for (const size of [0, 1, MB - 1, MB, MB + 1, 8 * MB, 8 * MB + 5]) {
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i += 4093) bytes[i] = (i / 4093) & 0xff;
    const path = join(dir, `f${size}`);
    await writeFile(path, bytes);
    const progress: number[] = [];
    assert.equal(await sha256OfFile(path, undefined, (done) => progress.push(done)), createHash('sha256').update(bytes).digest('hex'), `size ${size}`);
    assert.equal(progress.at(-1), size);
  }
});

it('sha256OfFile stops when aborted', async () => {
  const dir = await tempDir();
  const path = join(dir, 'big');
  await writeFile(path, Buffer.alloc(20 << 20));
  const controller = new AbortController();
  const hashing = sha256OfFile(path, controller.signal, () => controller.abort(new Error('stop')));
  await assert.rejects(hashing, /stop/);
});
