import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Bump when the tally's meaning or layout changes: old files then simply stop being found. */
const TALLY_VERSION = 1;
const MAGIC = 'BALDUP01';
const HEADER_BYTES = 32;
const DIGEST_BYTES = 32;

/**
 * One source's share of a mix's first pass, as far as it does not depend on the mix's weights or
 * filters: which of its records are exact duplicates of an earlier record (in it, or in a source
 * before it in the mix), and how many of the others, and how many bytes, each tag cell (kind × trait
 * × domain code) holds.
 */
export interface SourceTally {
  /** Bit i set when record i is a duplicate. */
  readonly duplicate: Uint8Array;
  readonly duplicates: number;
  readonly perCell: Float64Array;
  readonly bytesPerCell: Float64Array;
}

interface Registered {
  readonly indexPath: string;
}

/**
 * Where the tally of the last of `registrations` is kept: beside its index, under a key of every
 * registration up to it, since deduplication depends on the sources before it and their order. Every
 * mix over the same sources after the first then skips the deduplication pass.
 */
export function tallyPath(registrations: readonly Registered[]): string {
  // A registration directory is named by its content (sha256 and tag schema), so it identifies it.
  const ids = registrations.map((r) => basename(dirname(r.indexPath)));
  const key = createHash('sha256').update(JSON.stringify([TALLY_VERSION, ids])).digest('hex').slice(0, 32);
  return join(dirname(registrations.at(-1)!.indexPath), 'dedup', `${key}.bin`);
}

function layout(records: number, cells: number): { bitmap: number; perCell: number; bytesPerCell: number; digest: number } {
  const bitmap = HEADER_BYTES;
  const perCell = bitmap + Math.ceil(Math.ceil(records / 8) / 8) * 8;
  const bytesPerCell = perCell + cells * 8;
  return { bitmap, perCell, bytesPerCell, digest: bytesPerCell + cells * 8 };
}

/** The tally at `path` if it is there, whole, and for this many records and cells; otherwise null. */
export async function readTally(path: string, records: number, cells: number): Promise<SourceTally | null> {
  let file: Buffer;
  try {
    file = await readFile(path);
  } catch {
    return null;
  }
  const at = layout(records, cells);
  if (file.length !== at.digest + DIGEST_BYTES || file.toString('latin1', 0, 8) !== MAGIC) return null;
  if (file.readDoubleLE(8) !== records || file.readDoubleLE(16) !== cells) return null;
  const digest = createHash('sha256').update(file.subarray(0, at.digest)).digest();
  if (!digest.equals(file.subarray(at.digest))) return null;
  // Copies: typed arrays over the file buffer would need aligned offsets.
  const perCell = new Float64Array(cells);
  const bytesPerCell = new Float64Array(cells);
  for (let c = 0; c < cells; c++) {
    perCell[c] = file.readDoubleLE(at.perCell + c * 8);
    bytesPerCell[c] = file.readDoubleLE(at.bytesPerCell + c * 8);
  }
  return { duplicate: new Uint8Array(file.subarray(at.bitmap, at.bitmap + Math.ceil(records / 8))), duplicates: file.readDoubleLE(24), perCell, bytesPerCell };
}

/**
 * Keeps the tally at `path` for later mixes. Best effort: it is a cache, so a failure (a read-only
 * store, a full disk) is ignored, and it is not fsynced (a torn file fails its digest and is recomputed).
 */
export async function writeTally(path: string, records: number, tally: SourceTally): Promise<void> {
  const cells = tally.perCell.length;
  const at = layout(records, cells);
  const file = Buffer.alloc(at.digest + DIGEST_BYTES);
  file.write(MAGIC, 0, 'latin1');
  file.writeDoubleLE(records, 8);
  file.writeDoubleLE(cells, 16);
  file.writeDoubleLE(tally.duplicates, 24);
  file.set(tally.duplicate, at.bitmap);
  for (let c = 0; c < cells; c++) {
    file.writeDoubleLE(tally.perCell[c]!, at.perCell + c * 8);
    file.writeDoubleLE(tally.bytesPerCell[c]!, at.bytesPerCell + c * 8);
  }
  createHash('sha256').update(file.subarray(0, at.digest)).digest().copy(file, at.digest);
  const tmp = `${path}.${randomUUID()}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, file);
    await rename(tmp, path);
  } catch {
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}
