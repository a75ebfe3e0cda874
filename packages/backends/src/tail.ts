import { open } from 'node:fs/promises';

/**
 * The last `lines` lines of a text file, reading backwards in growing chunks so a multi-gigabyte
 * training log costs no more than its tail. A missing file has no lines.
 */
export async function tailLines(path: string, lines: number): Promise<string[]> {
  if (lines <= 0) return [];
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  try {
    const size = (await file.stat()).size;
    let chunk = 64 * 1024;
    for (;;) {
      const start = Math.max(0, size - chunk);
      const buffer = Buffer.alloc(size - start);
      await file.read(buffer, 0, buffer.length, start);
      const text = buffer.toString('utf8');
      const all = text.split('\n');
      if (all[all.length - 1] === '') all.pop();
      // Unless we read from the start, the first piece may be a partial line: only trust what follows it.
      if (start === 0 || all.length > lines) return all.slice(-lines);
      chunk *= 4;
    }
  } finally {
    await file.close();
  }
}
