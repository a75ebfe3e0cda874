import { formatFieldIssues, type FieldIssue, type TrainerFramework } from '@ballast/schema';

/** Thrown when a benchmark entry a user adds is invalid; `issues` name every failing field of the entry. */
export class BenchmarkEntryError extends Error {
  readonly code = 'BENCHMARK_INVALID';
  constructor(readonly issues: readonly FieldIssue[]) {
    super(`invalid benchmark entry:\n${formatFieldIssues(issues)}`);
    this.name = 'BenchmarkEntryError';
  }
}

export const BENCHMARK_REGISTRY_ERROR_CODES = {
  /** A ref names no registered benchmark. */
  unknown: 'BENCHMARK_UNKNOWN',
  /** `evaluation.benchmarks: all` selects nothing that can evaluate this trainer's checkpoints. */
  noneForTrainer: 'BENCHMARK_NONE_FOR_TRAINER',
} as const;
export type BenchmarkRegistryErrorCode = (typeof BENCHMARK_REGISTRY_ERROR_CODES)[keyof typeof BENCHMARK_REGISTRY_ERROR_CODES];

/** Thrown when the registry cannot give what was asked for: unknown refs, or nothing for a trainer. */
export class BenchmarkRegistryError extends Error {
  private constructor(
    readonly code: BenchmarkRegistryErrorCode,
    message: string,
    /** The refs that name nothing (BENCHMARK_UNKNOWN), in the order asked. */
    readonly refs: readonly string[],
    /** The trainer framework nothing was found for (BENCHMARK_NONE_FOR_TRAINER). */
    readonly framework: TrainerFramework | null,
  ) {
    super(message);
    this.name = 'BenchmarkRegistryError';
  }

  static unknown(refs: readonly string[]): BenchmarkRegistryError {
    const list = refs.map((r) => `'${r}'`).join(', ');
    return new BenchmarkRegistryError(
      BENCHMARK_REGISTRY_ERROR_CODES.unknown,
      `no registered benchmark ${list} ('ballast benchmarks list' shows them)`,
      refs,
      null,
    );
  }

  static noneForTrainer(framework: TrainerFramework): BenchmarkRegistryError {
    const means =
      framework === 'reference'
        ? "every reference-harness (SIMULATED) benchmark for the reference trainer, and none is registered"
        : `every inspect and lm-eval benchmark for trainer.framework '${framework}', and none is registered: ` +
          "add one with 'ballast benchmarks add FILE' (docs/evaluation.md), or list the benchmarks by ref";
    return new BenchmarkRegistryError(BENCHMARK_REGISTRY_ERROR_CODES.noneForTrainer, `evaluation.benchmarks 'all' means ${means}`, [], framework);
  }
}

export function isBenchmarkRegistryError(error: unknown): error is BenchmarkRegistryError {
  return error instanceof BenchmarkRegistryError;
}
