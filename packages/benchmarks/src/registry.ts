import { benchmarkRef, type BenchmarkCategory, type BenchmarkInfo, type HarnessKind, type TrainerFramework } from '@ballast/schema';
import { BenchmarkRegistryError } from './errors.js';
import { REFERENCE_BENCHMARKS } from './reference-benchmarks.js';

export interface BenchmarkFilter {
  readonly harness?: HarnessKind | undefined;
  readonly category?: BenchmarkCategory | undefined;
}

/**
 * Whether a benchmark's harness can score a trainer's checkpoints: the reference harness scores only
 * the SIMULATED reference policy; inspect and lm-eval score Hugging Face model directories, which every
 * other trainer writes.
 */
export function harnessEvaluates(harness: HarnessKind, framework: TrainerFramework): boolean {
  return framework === 'reference' ? harness === 'reference' : harness !== 'reference';
}

/**
 * The benchmarks an evaluation can name: the built-in SIMULATED twins and the entries users added
 * (stored, versioned, immutable). A snapshot: build a new one to see entries added since.
 */
export class Registry {
  private readonly byRef: ReadonlyMap<string, BenchmarkInfo>;
  private readonly builtinIds: ReadonlySet<string>;
  /** Every entry: the built-ins in their fixed order, then added entries by id and version. */
  readonly entries: readonly BenchmarkInfo[];

  /**
   * `stored`: the entries users added. One under a built-in's id is left out: the built-in wins (only
   * a Ballast release that takes an id already in use could put one there; adding refuses them).
   */
  constructor(stored: readonly BenchmarkInfo[] = [], builtins: readonly BenchmarkInfo[] = REFERENCE_BENCHMARKS) {
    this.builtinIds = new Set(builtins.map((b) => b.id));
    const added = stored
      .filter((b) => !this.builtinIds.has(b.id))
      .toSorted((a, b) => (a.id === b.id ? a.version - b.version : a.id < b.id ? -1 : 1));
    const byRef = new Map<string, BenchmarkInfo>();
    for (const b of [...builtins, ...added]) if (!byRef.has(benchmarkRef(b))) byRef.set(benchmarkRef(b), b);
    this.byRef = byRef;
    this.entries = [...byRef.values()];
  }

  get(ref: string): BenchmarkInfo | undefined {
    return this.byRef.get(ref);
  }

  /** True for the built-in twins' refs. */
  isBuiltin(ref: string): boolean {
    const b = this.byRef.get(ref);
    return b !== undefined && this.builtinIds.has(b.id);
  }

  /** Every version of every entry, optionally only one harness kind and/or category. */
  list(filter: BenchmarkFilter = {}): BenchmarkInfo[] {
    return this.entries.filter(
      (b) => (filter.harness === undefined || b.harness.kind === filter.harness) && (filter.category === undefined || b.category === filter.category),
    );
  }

  /** The entries `refs` name, in that order; throws BENCHMARK_UNKNOWN naming every ref that names nothing. */
  resolve(refs: readonly string[]): BenchmarkInfo[] {
    const unknown = refs.filter((r) => !this.byRef.has(r));
    if (unknown.length > 0) throw BenchmarkRegistryError.unknown([...new Set(unknown)]);
    return refs.map((r) => this.byRef.get(r)!);
  }

  /**
   * What `evaluation.benchmarks: all` means for a trainer: for the reference trainer every reference
   * harness entry, for a real one every inspect and lm-eval entry. Throws BENCHMARK_NONE_FOR_TRAINER when
   * that is nothing, so a launch fails with a reason instead of evaluating nothing.
   */
  forTrainer(framework: TrainerFramework): BenchmarkInfo[] {
    const found = this.entries.filter((b) => harnessEvaluates(b.harness.kind, framework));
    if (found.length === 0) throw BenchmarkRegistryError.noneForTrainer(framework);
    return found;
  }
}
