import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { datasetSources, mixes } from '../schema.js';

export type DatasetSourceRow = typeof datasetSources.$inferSelect;
export type MixRow = typeof mixes.$inferSelect;

/** Registers a dataset source version (uri + content hash) once; returns the stored row. */
export async function registerDatasetSource(db: Db, row: typeof datasetSources.$inferInsert): Promise<DatasetSourceRow> {
  await db.insert(datasetSources).values(row).onConflictDoNothing();
  const rows = await db
    .select()
    .from(datasetSources)
    .where(and(eq(datasetSources.uri, row.uri), eq(datasetSources.sha256, row.sha256)));
  return rows[0]!;
}

export async function listDatasetSources(db: Db): Promise<DatasetSourceRow[]> {
  return await db.select().from(datasetSources).orderBy(datasetSources.registeredAt);
}

export async function recordMix(db: Db, row: typeof mixes.$inferInsert): Promise<void> {
  await db.insert(mixes).values(row).onConflictDoUpdate({ target: mixes.id, set: { manifest: row.manifest } });
}

export async function getMix(db: Db, id: string): Promise<MixRow | null> {
  const rows = await db.select().from(mixes).where(eq(mixes.id, id));
  return rows[0] ?? null;
}
