import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { arms, experiments } from '../schema.js';

export type ExperimentRow = typeof experiments.$inferSelect;
export type ArmRow = typeof arms.$inferSelect;
export type NewExperiment = typeof experiments.$inferInsert;
export type NewArm = typeof arms.$inferInsert;

/**
 * Inserts an experiment and its arms in one transaction. A second call with the same client request id
 * inserts nothing and returns the experiment the first call created.
 */
export async function insertExperimentOnce(
  db: Db,
  experiment: NewExperiment,
  armRows: NewArm[],
): Promise<{ experiment: ExperimentRow; created: boolean }> {
  return await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(experiments)
      .values(experiment)
      .onConflictDoNothing({ target: experiments.clientRequestId })
      .returning();
    if (inserted[0]) {
      if (armRows.length > 0) await tx.insert(arms).values(armRows);
      return { experiment: inserted[0], created: true };
    }
    const existing = await tx
      .select()
      .from(experiments)
      .where(eq(experiments.clientRequestId, experiment.clientRequestId));
    return { experiment: existing[0]!, created: false };
  });
}

export async function getExperiment(db: Db, id: string): Promise<ExperimentRow | null> {
  const rows = await db.select().from(experiments).where(eq(experiments.id, id));
  return rows[0] ?? null;
}

export async function listExperiments(db: Db, options: { limit: number; phase?: string | undefined }): Promise<ExperimentRow[]> {
  const query = db.select().from(experiments);
  const filtered = options.phase ? query.where(eq(experiments.phase, options.phase)) : query;
  return await filtered.orderBy(desc(experiments.createdAt)).limit(options.limit);
}

const FINISHED_PHASES = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export async function setExperimentPhase(db: Db, id: string, phase: string, error?: string | null): Promise<void> {
  const now = new Date();
  await db
    .update(experiments)
    .set({
      phase,
      updatedAt: now,
      ...(error !== undefined ? { error } : {}),
      ...(FINISHED_PHASES.has(phase) ? { finishedAt: now } : {}),
    })
    .where(eq(experiments.id, id));
}

export async function listArms(db: Db, experimentId: string): Promise<ArmRow[]> {
  return await db.select().from(arms).where(eq(arms.experimentId, experimentId)).orderBy(arms.name);
}

export async function getArm(db: Db, armId: string): Promise<ArmRow | null> {
  const rows = await db.select().from(arms).where(eq(arms.id, armId));
  return rows[0] ?? null;
}

export async function updateArm(
  db: Db,
  armId: string,
  patch: Partial<Pick<ArmRow, 'phase' | 'trainStep' | 'recordsSeen' | 'tokensSeen' | 'mixId' | 'metrics' | 'trainingKey' | 'reusedFromArmId'>>,
): Promise<void> {
  await db.update(arms).set({ ...patch, updatedAt: new Date() }).where(eq(arms.id, armId));
}

export async function findArmByName(db: Db, experimentId: string, name: string): Promise<ArmRow | null> {
  const rows = await db.select().from(arms).where(and(eq(arms.experimentId, experimentId), eq(arms.name, name)));
  return rows[0] ?? null;
}
