import { and, asc, eq, inArray, isNull, like } from 'drizzle-orm';
import type { Db } from '../client.js';
import { checkpointEvaluations, checkpoints, evaluations, reports } from '../schema.js';

/** The lineage of checkpoints training commits; an attack's are `attack:<name>`. */
export const TRAIN_LINEAGE = 'train';
export function attackLineage(attack: string): string {
  return `attack:${attack}`;
}

export type CheckpointRow = typeof checkpoints.$inferSelect;
export type EvaluationRow = typeof evaluations.$inferSelect;
export type ReportRow = typeof reports.$inferSelect;

export async function recordCheckpoint(db: Db, row: typeof checkpoints.$inferInsert): Promise<CheckpointRow> {
  const lineage = row.lineage ?? TRAIN_LINEAGE;
  await db.insert(checkpoints).values({ ...row, lineage }).onConflictDoNothing({ target: [checkpoints.armId, checkpoints.lineage, checkpoints.step] });
  return (await db.select().from(checkpoints).where(and(eq(checkpoints.armId, row.armId), eq(checkpoints.lineage, lineage), eq(checkpoints.step, row.step))))[0]!;
}

/** The arms' training checkpoints by step (attacked checkpoints: listAttackCheckpoints). */
export async function listCheckpoints(db: Db, armIds: string[]): Promise<CheckpointRow[]> {
  if (armIds.length === 0) return [];
  return await db
    .select()
    .from(checkpoints)
    .where(and(inArray(checkpoints.armId, armIds), eq(checkpoints.lineage, TRAIN_LINEAGE)))
    .orderBy(asc(checkpoints.step));
}

/** The checkpoints attacks committed from the arms' final checkpoints, by step. */
export async function listAttackCheckpoints(db: Db, armIds: string[]): Promise<CheckpointRow[]> {
  if (armIds.length === 0) return [];
  return await db
    .select()
    .from(checkpoints)
    .where(and(inArray(checkpoints.armId, armIds), like(checkpoints.lineage, 'attack:%')))
    .orderBy(asc(checkpoints.step));
}

export async function findEvaluationsByKey(db: Db, cacheKeys: string[]): Promise<EvaluationRow[]> {
  if (cacheKeys.length === 0) return [];
  return await db.select().from(evaluations).where(inArray(evaluations.cacheKey, cacheKeys));
}

/** Stores an evaluation once per cache key and links it to the checkpoint it served. */
export async function recordEvaluation(
  db: Db,
  row: typeof evaluations.$inferInsert,
  checkpointId: string,
): Promise<EvaluationRow> {
  await db.insert(evaluations).values(row).onConflictDoNothing({ target: evaluations.cacheKey });
  const stored = (await db.select().from(evaluations).where(eq(evaluations.cacheKey, row.cacheKey)))[0]!;
  await db.insert(checkpointEvaluations).values({ checkpointId, evaluationId: stored.id }).onConflictDoNothing();
  return stored;
}

export async function linkEvaluation(db: Db, checkpointId: string, evaluationId: string): Promise<void> {
  await db.insert(checkpointEvaluations).values({ checkpointId, evaluationId }).onConflictDoNothing();
}

/**
 * The evaluations linked to the checkpoints: by default only those run without adversarial pressure
 * (what the main comparison reads); `pressure: 'any'` adds the pressured ones (persistence).
 */
export async function evaluationsForCheckpoints(
  db: Db,
  checkpointIds: string[],
  options: { pressure: 'none' | 'any' } = { pressure: 'none' },
): Promise<{ checkpointId: string; evaluation: EvaluationRow }[]> {
  if (checkpointIds.length === 0) return [];
  const linked = inArray(checkpointEvaluations.checkpointId, checkpointIds);
  return await db
    .select({ checkpointId: checkpointEvaluations.checkpointId, evaluation: evaluations })
    .from(checkpointEvaluations)
    .innerJoin(evaluations, eq(evaluations.id, checkpointEvaluations.evaluationId))
    .where(options.pressure === 'any' ? linked : and(linked, isNull(evaluations.pressureRef)));
}

export async function saveReport(db: Db, row: typeof reports.$inferInsert): Promise<ReportRow> {
  await db
    .insert(reports)
    .values(row)
    .onConflictDoUpdate({
      target: reports.experimentId,
      set: { report: row.report, jsonUri: row.jsonUri, markdownUri: row.markdownUri },
    });
  return (await db.select().from(reports).where(eq(reports.experimentId, row.experimentId)))[0]!;
}

export async function getReport(db: Db, experimentId: string): Promise<ReportRow | null> {
  return (await db.select().from(reports).where(eq(reports.experimentId, experimentId)))[0] ?? null;
}
