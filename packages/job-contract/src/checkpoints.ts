import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointMarker, CONTRACT_FILES, CONTRACT_VERSION, checkpointDirName } from '@ballast/schema';
import { writeFileAtomic } from './atomic-write.js';
import { hashDirectory } from './content-hash.js';

/** A checkpoint whose COMPLETE marker is present and valid. */
export interface CommittedCheckpoint {
  readonly step: number;
  readonly path: string;
  readonly marker: CheckpointMarker;
}

const STEP_DIR = /^step-(0|[1-9][0-9]*)$/;

export function checkpointsDir(outputDir: string): string {
  return join(outputDir, CONTRACT_FILES.checkpointsDir);
}

/**
 * Commits checkpoint `step`: `write` fills a private temp dir, which is hashed, renamed into place and
 * only then marked COMPLETE. A crash at any point leaves either no step dir or one without a marker,
 * and readers ignore both. Calling again for a step that is already complete returns its marker
 * unchanged, so a retried or resumed job never rewrites a checkpoint someone may be evaluating.
 */
export async function commitCheckpoint(
  outputDir: string,
  step: number,
  write: (dir: string) => Promise<void>,
): Promise<CheckpointMarker> {
  const root = checkpointsDir(outputDir);
  const finalDir = join(root, checkpointDirName(step));
  const existing = await readMarker(finalDir);
  if (existing !== null && existing.step === step) return existing;

  await mkdir(root, { recursive: true });
  const tmpDir = join(root, `.tmp-${checkpointDirName(step)}-${process.pid}-${randomUUID()}`);
  await mkdir(tmpDir);
  try {
    await write(tmpDir);
    const contentHash = await hashDirectory(tmpDir);
    // A step dir without a valid marker is debris from a crash between rename and marker: replace it.
    await rm(finalDir, { recursive: true, force: true });
    await rename(tmpDir, finalDir);
    const marker = CheckpointMarker.parse({
      contractVersion: CONTRACT_VERSION,
      step,
      contentHash,
      committedAt: new Date().toISOString(),
    });
    await writeFileAtomic(join(finalDir, CONTRACT_FILES.completeMarker), `${JSON.stringify(marker)}\n`);
    return marker;
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
}

/** Reads a checkpoint dir's COMPLETE marker; null if it is missing or not a valid marker. */
export async function readMarker(checkpointDir: string): Promise<CheckpointMarker | null> {
  let text: string;
  try {
    text = await readFile(join(checkpointDir, CONTRACT_FILES.completeMarker), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = CheckpointMarker.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Committed checkpoints in OUTPUT, oldest step first. Temp dirs and unmarked or corrupt dirs are skipped. */
export async function listCommittedCheckpoints(outputDir: string): Promise<CommittedCheckpoint[]> {
  const root = checkpointsDir(outputDir);
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  const out: CommittedCheckpoint[] = [];
  for (const name of names) {
    const m = STEP_DIR.exec(name);
    if (m === null) continue;
    const path = join(root, name);
    const marker = await readMarker(path);
    // A marker naming another step means the dir was copied or renamed by hand: not trustworthy.
    if (marker === null || marker.step !== Number(m[1])) continue;
    out.push({ step: marker.step, path, marker });
  }
  return out.sort((a, b) => a.step - b.step);
}

export async function latestCommittedCheckpoint(outputDir: string): Promise<CommittedCheckpoint | null> {
  const all = await listCommittedCheckpoints(outputDir);
  return all.at(-1) ?? null;
}
