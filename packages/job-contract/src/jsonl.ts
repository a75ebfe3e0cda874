import { readFile } from 'node:fs/promises';

/**
 * Complete lines of a JSONL file. A last line without its newline is dropped: it is a write that a
 * crash cut short, not data. A missing file reads as no lines.
 */
export async function readJsonlLines(path: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const lines = text.split('\n');
  lines.pop();
  return lines.filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
}
