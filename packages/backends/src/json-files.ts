import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CorruptBackendStateError } from './errors.js';

/** Names of in-flight temp files start with this, so directory listings can skip them. */
export const TEMP_PREFIX = '.tmp-';

async function writeTemp(path: string, data: string): Promise<string> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `${TEMP_PREFIX}${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}`);
  // 0600: launch specs carry the job's environment, which may hold credentials.
  const file = await open(tmp, 'wx', 0o600);
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
  return tmp;
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `path` so that readers and crashes see the old JSON or the new, never a torn file. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = await writeTemp(path, `${JSON.stringify(value, null, 2)}\n`);
  try {
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await syncDir(dirname(path));
}

/**
 * Creates `path` with `value` only if nothing exists there; false if something does. Same guarantee as
 * O_EXCL ('wx'), but the content is complete before the name appears (link of a synced temp file), so a
 * crash can never leave an empty or half-written file under the name that decides ownership.
 */
export async function createJsonExclusive(path: string, value: unknown): Promise<boolean> {
  const tmp = await writeTemp(path, `${JSON.stringify(value, null, 2)}\n`);
  try {
    await link(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(tmp, { force: true });
  }
  await syncDir(dirname(path));
  return true;
}

/** Parsed JSON at `path`, or null when the file does not exist. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CorruptBackendStateError(path, (error as Error).message);
  }
}
