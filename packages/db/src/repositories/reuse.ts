import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../client.js';
import { arms, experiments, reusableRuns } from '../schema.js';
import type { ArmRow } from './experiments.js';

export type ReusableRunKind = 'train' | 'attack';

/**
 * Records that `armId` finished a run whose results later arms with the same key may reuse. The first
 * arm to finish owns the key; a later identical run (one that started before this finished) keeps its
 * own results but does not replace the owner, unless `replace` says the owner's are unusable.
 */
export async function recordReusableRun(db: Db, row: { key: string; kind: ReusableRunKind; armId: string; lineage?: string | null }, options: { replace?: boolean } = {}): Promise<void> {
  // `replace`: the owner's results are gone (its files were deleted) and this arm ran again in its place.
  if (options.replace) await db.insert(reusableRuns).values(row).onConflictDoUpdate({ target: reusableRuns.key, set: { armId: row.armId, lineage: row.lineage ?? null, createdAt: new Date() } });
  else await db.insert(reusableRuns).values(row).onConflictDoNothing({ target: reusableRuns.key });
}

/** The arm (and its experiment) that finished a run with this key; null when none has. */
export async function findReusableRun(db: Db, key: string): Promise<{ arm: ArmRow; experimentName: string; lineage: string | null } | null> {
  const rows = await db
    .select({ arm: arms, experimentName: experiments.name, lineage: reusableRuns.lineage })
    .from(reusableRuns)
    .innerJoin(arms, eq(arms.id, reusableRuns.armId))
    .innerJoin(experiments, eq(experiments.id, arms.experimentId))
    .where(eq(reusableRuns.key, key));
  return rows[0] ?? null;
}

/**
 * For a dry run: earlier arms with these spec-level inputs keys whose training finished, newest first
 * per key. Whether they are reused is decided when the mix is built (the data's content must match too).
 */
export async function findTrainedByInputsKey(db: Db, keys: string[]): Promise<Map<string, { arm: ArmRow; experimentName: string }>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .select({ arm: arms, experimentName: experiments.name })
    .from(arms)
    .innerJoin(experiments, eq(experiments.id, arms.experimentId))
    .innerJoin(reusableRuns, and(eq(reusableRuns.armId, arms.id), eq(reusableRuns.key, arms.trainingKey), eq(reusableRuns.kind, 'train')))
    .where(and(inArray(arms.inputsKey, keys), isNotNull(arms.trainingKey)))
    .orderBy(desc(experiments.createdAt));
  const found = new Map<string, { arm: ArmRow; experimentName: string }>();
  for (const row of rows) if (row.arm.inputsKey !== null && !found.has(row.arm.inputsKey)) found.set(row.arm.inputsKey, row);
  return found;
}
