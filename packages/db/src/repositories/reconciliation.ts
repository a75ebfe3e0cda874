import { desc } from 'drizzle-orm';
import type { Db } from '../client.js';
import { reconciliationRuns } from '../schema.js';

export type ReconciliationRunRow = typeof reconciliationRuns.$inferSelect;

export async function recordReconciliationRun(
  db: Db,
  run: { startedAt: Date; findings: unknown[]; backends: Record<string, unknown> },
): Promise<ReconciliationRunRow> {
  const rows = await db.insert(reconciliationRuns).values(run).returning();
  return rows[0]!;
}

export async function listReconciliationRuns(db: Db, limit: number): Promise<ReconciliationRunRow[]> {
  return await db.select().from(reconciliationRuns).orderBy(desc(reconciliationRuns.id)).limit(limit);
}
