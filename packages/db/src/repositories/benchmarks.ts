import { asc, eq } from 'drizzle-orm';
import { BenchmarkInfo, benchmarkRef } from '@ballast/schema';
import type { Db } from '../client.js';
import { benchmarks } from '../schema.js';

/** A stored benchmark version, its entry parsed. */
export interface StoredBenchmark {
  readonly ref: string;
  readonly entry: BenchmarkInfo;
  readonly entryHash: string;
  readonly createdAt: Date;
  readonly createdBy: string;
}

/** Thrown when a benchmark version is added again with other content: versions are immutable. */
export class BenchmarkVersionExistsError extends Error {
  readonly code = 'BENCHMARK_VERSION_EXISTS';
  constructor(
    readonly ref: string,
    /** The hash of what is stored under `ref`. */
    readonly storedHash: string,
  ) {
    super(`benchmark ${ref} already exists with different content; versions are immutable: bump the version`);
    this.name = 'BenchmarkVersionExistsError';
  }
}

function stored(row: typeof benchmarks.$inferSelect): StoredBenchmark {
  return { ref: row.ref, entry: BenchmarkInfo.parse(row.entry), entryHash: row.entryHash, createdAt: row.createdAt, createdBy: row.createdBy };
}

/**
 * Stores a benchmark version once. The same ref with the same hash again returns the stored row with
 * `created: false` (also when two callers race); the same ref with another hash throws
 * BenchmarkVersionExistsError. The caller validates the entry and computes its hash.
 */
export async function addBenchmark(
  db: Db,
  input: { entry: BenchmarkInfo; entryHash: string; createdBy: string },
): Promise<{ benchmark: StoredBenchmark; created: boolean }> {
  const ref = benchmarkRef(input.entry);
  const inserted = await db
    .insert(benchmarks)
    .values({ ref, id: input.entry.id, version: input.entry.version, entry: input.entry, entryHash: input.entryHash, createdBy: input.createdBy })
    .onConflictDoNothing()
    .returning();
  if (inserted[0]) return { benchmark: stored(inserted[0]), created: true };
  const existing = (await db.select().from(benchmarks).where(eq(benchmarks.ref, ref)))[0]!;
  if (existing.entryHash !== input.entryHash) throw new BenchmarkVersionExistsError(ref, existing.entryHash);
  return { benchmark: stored(existing), created: false };
}

/** Every stored version, by id then version. */
export async function listBenchmarks(db: Db): Promise<StoredBenchmark[]> {
  return (await db.select().from(benchmarks).orderBy(asc(benchmarks.id), asc(benchmarks.version))).map(stored);
}

export async function getBenchmark(db: Db, ref: string): Promise<StoredBenchmark | null> {
  const row = (await db.select().from(benchmarks).where(eq(benchmarks.ref, ref)))[0];
  return row ? stored(row) : null;
}
