/**
 * The benchmark registry, the source of truth for what an evaluation can name. Built in: the SIMULATED
 * reference twins (harness `reference`). Added by users: inspect_ai and lm-eval tasks, validated,
 * versioned as `id@version` and immutable once stored (the database keeps them; this package has no
 * I/O beyond resolving the paths an entry names). See docs/evaluation.md.
 *
 * @example
 * const entry = resolveEntryPaths(validateBenchmarkEntry(yamlObject), { roots, rootsSetting });
 * await addBenchmark(db, { entry, entryHash: entryHash(entry), createdBy: 'me' });
 * const registry = new Registry((await listBenchmarks(db)).map((row) => row.entry));
 * registry.forTrainer('trl'); // every inspect and lm-eval entry: what `evaluation.benchmarks: all` means
 */
export { REFERENCE_BENCHMARKS, REFERENCE_METRIC_DIRECTIONS, type ReferenceMetric } from './reference-benchmarks.js';
export { validateBenchmarkEntry, entryHash, isReservedBenchmarkId } from './validate.js';
export { resolveEntryPaths, type EntryPathOptions } from './entry-paths.js';
export { Registry, harnessEvaluates, type BenchmarkFilter } from './registry.js';
export { pressureConditions, pressureCondition } from './pressure-conditions.js';
export {
  BenchmarkEntryError,
  BenchmarkRegistryError,
  BENCHMARK_REGISTRY_ERROR_CODES,
  isBenchmarkRegistryError,
  type BenchmarkRegistryErrorCode,
} from './errors.js';
