import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.js';
import { checkpointEvaluations, checkpoints, evaluations, reports } from '../schema.js';

export type CheckpointRow = typeof checkpoints.$inferSelect;
export type EvaluationRow = typeof evaluations.$inferSelect;
export type ReportRow = typeof reports.$inferSelect;

export async function recordCheckpoint(db: Db, row: typeof checkpoints.$inferInsert): Promise<CheckpointRow> {
  await db.insert(checkpoints).values(row).onConflictDoNothing({ target: [checkpoints.armId, checkpoints.step] });
  return (await db.select().from(checkpoints).where(and(eq(checkpoints.armId, row.armId), eq(checkpoints.step, row.step))))[0]!;
}

export async function listCheckpoints(db: Db, armIds: string[]): Promise<CheckpointRow[]> {
  if (armIds.length === 0) return [];
  return await db.select().from(checkpoints).where(inArray(checkpoints.armId, armIds)).orderBy(asc(checkpoints.step));
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

export async function evaluationsForCheckpoints(
  db: Db,
  checkpointIds: string[],
): Promise<{ checkpointId: string; evaluation: EvaluationRow }[]> {
  if (checkpointIds.length === 0) return [];
  return await db
    .select({ checkpointId: checkpointEvaluations.checkpointId, evaluation: evaluations })
    .from(checkpointEvaluations)
    .innerJoin(evaluations, eq(evaluations.id, checkpointEvaluations.evaluationId))
    .where(inArray(checkpointEvaluations.checkpointId, checkpointIds));
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
