import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A native checkpoint its framework has finished writing. */
export interface NativeCheckpoint {
  readonly step: number;
  /** Absolute path of the checkpoint's own directory. */
  readonly nativePath: string;
}

/** Directories in `dir` whose name matches `pattern` (step in group 1); none if `dir` does not exist. */
export async function stepDirs(dir: string, pattern: RegExp): Promise<NativeCheckpoint[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: NativeCheckpoint[] = [];
  for (const entry of entries) {
    const m = pattern.exec(entry.name);
    if (m === null || !entry.isDirectory()) continue;
    out.push({ step: Number(m[1]), nativePath: join(dir, entry.name) });
  }
  return out;
}

/** A small marker file's text; null if it is missing or unreadable (a checkpoint being written). */
export async function readMarkerText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

export function byStep(a: NativeCheckpoint, b: NativeCheckpoint): number {
  return a.step - b.step;
}
