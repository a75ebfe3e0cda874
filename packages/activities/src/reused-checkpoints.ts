import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { recordCheckpoint, TRAIN_LINEAGE, type CheckpointRow } from '@ballast/db';
import type { ActivityDeps } from './deps.js';
import { derivedId } from './hashing.js';

/** Whether every checkpoint's files still exist (a source whose files were deleted cannot be reused). */
export async function checkpointFilesPresent(checkpoints: readonly CheckpointRow[]): Promise<boolean> {
  try {
    for (const c of checkpoints) await access(fileURLToPath(c.uri));
    return true;
  } catch {
    return false;
  }
}

/**
 * Records another run's checkpoints as this arm's too (same content hash, same files, the source's job),
 * under `lineage`, with the ids this arm would have given them itself; idempotent, so a retried
 * activity records nothing twice. Returned in the order given.
 */
export async function adoptCheckpoints(
  deps: ActivityDeps,
  armId: string,
  lineage: string,
  checkpoints: readonly CheckpointRow[],
): Promise<{ checkpointId: string; step: number; contentHash: string }[]> {
  const adopted: { checkpointId: string; step: number; contentHash: string }[] = [];
  for (const c of checkpoints) {
    const row = await recordCheckpoint(deps.db, {
      id: lineage === TRAIN_LINEAGE ? derivedId('checkpoint', armId, c.contentHash) : derivedId('checkpoint', armId, lineage, c.contentHash),
      armId,
      jobId: c.jobId,
      step: c.step,
      contentHash: c.contentHash,
      uri: c.uri,
      committedAt: c.committedAt,
      environment: c.environment,
      lineage,
    });
    adopted.push({ checkpointId: row.id, step: row.step, contentHash: row.contentHash });
  }
  return adopted;
}
