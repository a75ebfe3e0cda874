import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';

/**
 * Streams JSONL lines to `path` through a temp file, hashing as it goes, and renames on success, so a
 * crash never leaves a truncated file under the real name.
 */
export async function writeJsonlAtomic(path: string, lines: Iterable<unknown>): Promise<{ sha256: string; bytes: number; records: number }> {
  const tmp = `${path}.tmp-${process.pid}`;
  const out = createWriteStream(tmp);
  const hash = createHash('sha256');
  let bytes = 0;
  let records = 0;
  try {
    for (const line of lines) {
      const text = `${JSON.stringify(line)}\n`;
      hash.update(text);
      bytes += Buffer.byteLength(text);
      records++;
      if (!out.write(text)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    await rename(tmp, path);
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
  return { sha256: hash.digest('hex'), bytes, records };
}
