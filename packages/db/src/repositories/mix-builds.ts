import { desc, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { mixBuilds, mixes } from '../schema.js';

export type MixBuildRow = typeof mixBuilds.$inferSelect;

/**
 * Creates the build once. A build that failed or was cancelled starts over when asked again; one that
 * runs or succeeded is returned as it is. Returns whether a workflow should be started.
 */
export async function claimMixBuild(db: Db, row: { id: string; name: string; spec: unknown }): Promise<{ build: MixBuildRow; start: boolean }> {
  return await db.transaction(async (tx) => {
    const inserted = await tx.insert(mixBuilds).values({ ...row, spec: row.spec as object, state: 'RUNNING' }).onConflictDoNothing().returning();
    if (inserted[0]) return { build: inserted[0], start: true };
    const existing = (await tx.select().from(mixBuilds).where(eq(mixBuilds.id, row.id)).for('update'))[0]!;
    if (existing.state === 'FAILED' || existing.state === 'CANCELLED') {
      const restarted = await tx
        .update(mixBuilds)
        .set({ state: 'RUNNING', phase: 'PENDING', done: 0, bytes: 0, error: null, updatedAt: new Date() })
        .where(eq(mixBuilds.id, row.id))
        .returning();
      return { build: restarted[0]!, start: true };
    }
    return { build: existing, start: false };
  });
}

export async function getMixBuild(db: Db, id: string): Promise<MixBuildRow | null> {
  return (await db.select().from(mixBuilds).where(eq(mixBuilds.id, id)))[0] ?? null;
}

export async function updateMixBuild(
  db: Db,
  id: string,
  patch: Partial<Pick<MixBuildRow, 'state' | 'phase' | 'done' | 'total' | 'bytes' | 'mixId' | 'cacheHit' | 'error' | 'errorKind'>>,
): Promise<void> {
  await db.update(mixBuilds).set({ ...patch, updatedAt: new Date() }).where(eq(mixBuilds.id, id));
}

export async function listMixes(db: Db, limit: number) {
  return await db.select().from(mixes).orderBy(desc(mixes.createdAt)).limit(limit);
}
