import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { nativeCopy, type NativeCopy } from '../native.js';
import { removeTempDirs, tempDir } from '../testing/records.js';
import { ShardSet } from './shard-files.js';

after(removeTempDirs);

const native = nativeCopy();

/** Appends of awkward sizes (under, at and over the 4 KB O_DIRECT block, and one empty). */
const SIZES = [1, 4095, 4096, 4097, 0, 123_457, 8 << 20, 3, 65_536, 70_001];

/** Buffers of megabytes: compared without a diff that would take the process's memory. */
function sameBytes(got: Buffer, want: Buffer): void {
  assert.equal(got.length, want.length, 'length');
  const at = got.findIndex((b, i) => b !== want[i]);
  assert.equal(at, -1, `first differing byte at ${at}`);
}

async function writeShard(dir: string, direct: NativeCopy | undefined, parts: readonly Buffer[]) {
  const set = new ShardSet(dir, 'jsonl', direct);
  const shard = await set.next();
  // Appends may overlap, as the canonical copy's do.
  await Promise.all(parts.map((p) => shard.append(p)));
  await set.seal(shard);
  const [info] = set.shards;
  return { info: info!, bytes: await readFile(join(dir, info!.file)) };
}

/** A directory on a file system that takes O_DIRECT (the temp dir's, or else the working directory's), or null. */
async function directCapableDir(copy: NativeCopy): Promise<string | null> {
  for (const base of [undefined, process.cwd()]) {
    const dir = base === undefined ? await tempDir() : await mkdtemp(join(base, '.shard-direct-'));
    const probe = join(dir, 'probe');
    await writeFile(probe, '');
    const handle = copy.directOpen(probe);
    if (handle !== null) {
      copy.directFinish(handle);
      await rm(probe);
      return dir;
    }
    if (base !== undefined) await rm(dir, { recursive: true, force: true });
  }
  return null;
}

describe('shard files', () => {
  const parts = SIZES.map((n) => randomBytes(n));
  const whole = Buffer.concat(parts);
  const sha = createHash('sha256').update(whole).digest('hex');

  it('writes the same bytes and sha256 with buffered writes', async () => {
    const { info, bytes } = await writeShard(await tempDir(), undefined, parts);
    sameBytes(bytes, whole);
    assert.equal(info.sha256, sha);
    assert.equal(info.bytes, whole.length);
  });

  it('writes the same bytes and sha256 with O_DIRECT appends, the last partial block written at seal', async (t) => {
    if (native === null) return t.skip('the native copy is not built here');
    const dir = await directCapableDir(native);
    if (dir === null) return t.skip('no file system here takes O_DIRECT');
    let directAppends = 0;
    const counting: NativeCopy = {
      ...native,
      directAppend: async (file, data) => {
        const ok = await native.directAppend(file, data);
        if (ok) directAppends += 1;
        return ok;
      },
    };
    try {
      const { info, bytes } = await writeShard(dir, counting, parts);
      assert.equal(directAppends, parts.length, 'every append went through O_DIRECT');
      sameBytes(bytes, whole);
      assert.equal(info.sha256, sha);
    } finally {
      if (dir.startsWith(process.cwd())) await rm(dir, { recursive: true, force: true });
    }
  });

  it('falls back to ordinary writes, losing nothing, when the file system refuses O_DIRECT midway', async (t) => {
    if (native === null) return t.skip('the native copy is not built here');
    const dir = await directCapableDir(native);
    if (dir === null) return t.skip('no file system here takes O_DIRECT');
    let calls = 0;
    // The sixth append is refused as an odd file system would refuse it, after writes that worked and
    // with one byte still carried (1 + 4095 + 4096 + 4097 + 0 bytes before it).
    const refusing: NativeCopy = { ...native, directAppend: async (file, data) => (++calls === 6 ? false : native.directAppend(file, data)) };
    try {
      const { info, bytes } = await writeShard(dir, refusing, parts);
      sameBytes(bytes, whole);
      assert.equal(info.sha256, sha);
      assert.equal(calls, 6, 'no direct append after the refusal');
    } finally {
      if (dir.startsWith(process.cwd())) await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes the same bytes on tmpfs, which refuses O_DIRECT (or, from Linux 6.6, ignores it)', async (t) => {
    if (native === null) return t.skip('the native copy is not built here');
    if (!existsSync('/dev/shm')) return t.skip('no /dev/shm here');
    const dir = await mkdtemp('/dev/shm/ballast-shard-');
    try {
      const { info, bytes } = await writeShard(dir, native, parts);
      sameBytes(bytes, whole);
      assert.equal(info.sha256, sha);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('discards a shard with direct appends under way, leaving no file', async (t) => {
    if (native === null) return t.skip('the native copy is not built here');
    const dir = await directCapableDir(native);
    if (dir === null) return t.skip('no file system here takes O_DIRECT');
    try {
      const set = new ShardSet(dir, 'jsonl', native);
      const shard = await set.next();
      const appends = parts.map((p) => shard.append(p));
      await shard.discard();
      await Promise.allSettled(appends);
      assert.equal(existsSync(shard.path), false);
    } finally {
      if (dir.startsWith(process.cwd())) await rm(dir, { recursive: true, force: true });
    }
  });
});
