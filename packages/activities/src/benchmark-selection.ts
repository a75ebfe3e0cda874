import { ApplicationFailure } from '@temporalio/common';
import { entryHash, isBenchmarkRegistryError, Registry } from '@ballast/benchmarks';
import { listBenchmarks } from '@ballast/db';
import type { BenchmarkInfo, ResolvedExperimentSpec } from '@ballast/schema';
import type { ActivityDeps } from './deps.js';

/** The registry as stored now: the built-in SIMULATED twins plus the entries users added. */
export async function currentRegistry(deps: ActivityDeps): Promise<Registry> {
  return new Registry((await listBenchmarks(deps.db)).map((b) => b.entry));
}

/**
 * The benchmarks an experiment evaluates: the ones its spec names. Launches lock `all` into a list of
 * refs; an experiment launched before they did still carries `all`, read here as every registered
 * entry whose harness can score its trainer's checkpoints. Unknown refs cannot be fixed by retrying.
 */
export async function benchmarksFor(deps: ActivityDeps, spec: ResolvedExperimentSpec): Promise<BenchmarkInfo[]> {
  const registry = await currentRegistry(deps);
  try {
    const listed = spec.spec.evaluation.benchmarks;
    return listed === 'all' ? registry.forTrainer(spec.spec.trainer.framework) : registry.resolve(listed);
  } catch (err) {
    if (isBenchmarkRegistryError(err)) throw ApplicationFailure.nonRetryable(err.message, err.code);
    throw err;
  }
}

/** The content hash of a registry entry: part of a real harness's evaluation cache key. */
export function benchmarkEntryHash(entry: BenchmarkInfo): string {
  return entryHash(entry);
}
