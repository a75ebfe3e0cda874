import { constants } from 'node:fs';
import { lstat, mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OutputExistsError } from './errors.js';

/**
 * Makes a finished staging directory visible as `finalDir` with one rename(2), so a reader sees
 * either no `finalDir` or all of its shards (and whatever else the caller put in the staging
 * directory, such as the manifest). Both must be on one filesystem. Directory entries are fsynced
 * on both sides of the rename so the result survives a crash.
 */
export async function publishOutputs(stagingDir: string, finalDir: string): Promise<void> {
  await fsyncDir(stagingDir);
  const parent = dirname(finalDir);
  await mkdir(parent, { recursive: true });
  // rename(2) replaces an empty directory silently; a published set is immutable, so refuse it.
  if (await exists(finalDir)) throw new OutputExistsError(finalDir);
  try {
    await rename(stagingDir, finalDir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') throw new OutputExistsError(finalDir);
    throw err;
  }
  await fsyncDir(parent);
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
