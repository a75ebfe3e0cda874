import { open } from 'node:fs/promises';
import { OPEN_FLAGS } from './open-flags.js';

/**
 * Reads the first `maxBytes` of a file resolveUserPath returned, through the same flags it checked it
 * with: a link or a FIFO swapped in since is refused (the open cannot follow the link or block), as is
 * anything that is no longer a regular file. `truncated`: the file holds more than was read.
 */
export async function readUserFilePrefix(path: string, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  const file = await open(path, OPEN_FLAGS);
  try {
    const stat = await file.stat();
    if (!stat.isFile()) throw new Error('not a regular file');
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), truncated: stat.size > maxBytes };
  } finally {
    await file.close();
  }
}
