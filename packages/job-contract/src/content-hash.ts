import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * `sha256:<hex>` over every file under `dir`: sorted relative names (POSIX separators), each followed by
 * its byte length and bytes. Lengths and NUL separators make the encoding unambiguous, so moving bytes
 * between files changes the hash. Independent of the directory's own name and of file times.
 */
export async function hashDirectory(dir: string, exclude: readonly string[] = []): Promise<string> {
  const files = (await listFilesUnder(dir)).filter((f) => !exclude.includes(f));
  const hash = createHash('sha256');
  for (const rel of files) {
    // Streamed: checkpoint files can be far larger than a Buffer may be.
    const path = join(dir, rel);
    hash.update(`${rel}\0${(await stat(path)).size}\0`);
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  }
  return `sha256:${hash.digest('hex')}`;
}

/** Every regular file below `root`, as sorted relative paths with POSIX separators. */
export async function listFilesUnder(root: string): Promise<string[]> {
  return (await listFiles(root, '')).sort();
}

async function listFiles(root: string, rel: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
    const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await listFiles(root, childRel)));
    else if (entry.isFile()) out.push(childRel);
  }
  return out;
}
