import { ApplicationFailure } from '@temporalio/common';
import { recordEvaluation } from '@ballast/db';
import { readEvalSummary } from '@ballast/job-contract';
import { evalItemsFileName, type EvalSummary } from '@ballast/schema';
import type { ActivityDeps } from './deps.js';
import { derivedId } from './hashing.js';

/** One benchmark an eval job ran, and the cache key its result is stored under. */
export interface EvaluatedBenchmark {
  readonly ref: string;
  readonly cacheKey: string;
  /** What produced the result (`reference-evaluator/1`, `inspect@0.3.285`), from the job's summary. */
  readonly evaluatorVersion: (summary: EvalSummary) => string;
}

/**
 * Stores what a finished eval job wrote, one evaluation per benchmark (its summary, and its items
 * file by URI), linked to the checkpoint. A benchmark without a summary is a job that broke the
 * contract: not retryable.
 */
export async function recordEvalJobResults(
  deps: ActivityDeps,
  job: { readonly jobId: string; readonly outputDir: string; readonly checkpointId: string; readonly checkpointHash: string; readonly configHash: string; readonly pressureRef: string | null },
  benchmarks: readonly EvaluatedBenchmark[],
): Promise<void> {
  for (const b of benchmarks) {
    const summary = await readEvalSummary(job.outputDir, b.ref);
    if (!summary) throw ApplicationFailure.nonRetryable(`eval job ${job.jobId} wrote no summary for ${b.ref}`, 'EvalOutputMissing');
    await recordEvaluation(
      deps.db,
      {
        id: derivedId('evaluation', b.cacheKey),
        cacheKey: b.cacheKey,
        checkpointHash: job.checkpointHash,
        benchmarkRef: b.ref,
        evaluatorVersion: b.evaluatorVersion(summary),
        evalConfigHash: job.configHash,
        category: summary.category,
        n: summary.n,
        mean: summary.mean,
        stderr: summary.stderr,
        itemsUri: deps.store.uriFor(`jobs/${job.jobId}/eval/${evalItemsFileName(b.ref)}`),
        summary,
        pressureRef: job.pressureRef,
      },
      job.checkpointId,
    );
  }
}
