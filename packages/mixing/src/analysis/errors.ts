/** Stable codes for the errors the analysis module throws. */
export const AnalysisErrorCode = {
  benchmarkFile: 'MIX_BENCHMARK_FILE_INVALID',
} as const;
export type AnalysisErrorCode = (typeof AnalysisErrorCode)[keyof typeof AnalysisErrorCode];

/** Thrown when a benchmark item file has a line that is not a JSON object. */
export class BenchmarkFileError extends Error {
  readonly code = AnalysisErrorCode.benchmarkFile;
  constructor(
    readonly benchmark: string,
    readonly path: string,
    /** 1-based. */
    readonly line: number,
    readonly reason: string,
  ) {
    super(`benchmark '${benchmark}' (${path}) line ${line}: ${reason}`);
    this.name = 'BenchmarkFileError';
  }
}
