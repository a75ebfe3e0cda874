import { TRPCError } from '@trpc/server';
import { BenchmarkEntryError, entryHash, Registry, resolveEntryPaths, validateBenchmarkEntry } from '@ballast/benchmarks';
import { addBenchmark, BenchmarkVersionExistsError, getBenchmark, listBenchmarks, type Db } from '@ballast/db';
import { benchmarkRef, type BenchmarkInfo } from '@ballast/schema';
import { isUserPathError } from '@ballast/user-paths';
import type { ApiContext } from '../context.js';
import { badRequest } from '../errors.js';

/** The built-ins plus what the `benchmarks` table holds. */
export async function loadBenchmarkRegistry(db: Db): Promise<Registry> {
  return new Registry((await listBenchmarks(db)).map((b) => b.entry));
}

/** One benchmark with where it came from: built in, or added (by whom, when). */
export interface BenchmarkRecord {
  readonly ref: string;
  readonly entry: BenchmarkInfo;
  readonly entryHash: string;
  readonly builtin: boolean;
  readonly createdAt: string | null;
  readonly createdBy: string | null;
}

export async function benchmarkRecord(ctx: ApiContext, ref: string): Promise<BenchmarkRecord> {
  const registry = await ctx.benchmarks.registry();
  const entry = registry.get(ref);
  if (!entry) throw new TRPCError({ code: 'NOT_FOUND', message: `no registered benchmark '${ref}' ('ballast benchmarks list' shows them)` });
  if (registry.isBuiltin(ref)) return { ref, entry, entryHash: entryHash(entry), builtin: true, createdAt: null, createdBy: null };
  const stored = await getBenchmark(ctx.db, ref);
  return { ref, entry, entryHash: stored?.entryHash ?? entryHash(entry), builtin: false, createdAt: stored?.createdAt.toISOString() ?? null, createdBy: stored?.createdBy ?? null };
}

/**
 * Validates an entry a user adds (field paths under `entry.`), resolves the paths it names inside the
 * allowed roots and stores it with the real paths. Adding the same content again changes nothing
 * (`created: false`); other content under an existing ref is refused at `entry.version`.
 */
export async function addBenchmarkEntry(ctx: ApiContext, raw: unknown, createdBy: string): Promise<{ ref: string; created: boolean; entryHash: string }> {
  let entry: BenchmarkInfo;
  try {
    entry = resolveEntryPaths(validateBenchmarkEntry(raw), { roots: ctx.benchmarks.roots, rootsSetting: ctx.benchmarks.rootsSetting, fieldPrefix: 'entry.' });
  } catch (error) {
    if (error instanceof BenchmarkEntryError) throw badRequest(error.issues.map((i) => ({ ...i, path: `entry.${i.path}` })));
    if (isUserPathError(error)) throw badRequest([{ path: error.field, message: error.reason }]);
    throw error;
  }
  const hash = entryHash(entry);
  try {
    const { benchmark, created } = await addBenchmark(ctx.db, { entry, entryHash: hash, createdBy });
    return { ref: benchmark.ref, created, entryHash: hash };
  } catch (error) {
    if (error instanceof BenchmarkVersionExistsError) {
      throw badRequest([{ path: 'entry.version', message: `${benchmarkRef(entry)} already exists with different content; versions are immutable: bump the version` }]);
    }
    throw error;
  }
}
