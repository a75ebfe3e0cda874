import { dirname, join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { DATASET_ROOTS_SETTING } from '@ballast/config';
import { generateReferenceCorpora } from '@ballast/reference-workload';
import { isUserPathError, resolveUserPath } from '@ballast/user-paths';

/** Seed of the SIMULATED reference corpora; fixed so every BALLAST_HOME generates the same bytes. */
export const REFERENCE_CORPUS_SEED = 20260601;

let generating: Promise<unknown> | null = null;

/** Generates the SIMULATED reference corpora once per directory; concurrent callers share one run. */
export async function ensureReferenceCorpora(dir: string): Promise<void> {
  generating ??= generateReferenceCorpora({ outDir: dir, seed: REFERENCE_CORPUS_SEED }).finally(() => {
    generating = null;
  });
  await generating;
}

/**
 * The local path a dataset URI names: reference:// corpora are generated on first use; anything else
 * goes through the one user-path resolver (inside `roots`, a regular file). A refused path is an input
 * error that no retry can fix, so it leaves as a non-retryable ApplicationFailure with the resolver's code.
 */
export async function datasetPath(
  uri: string,
  paths: { readonly referenceDatasets: string; readonly datasetRoots?: readonly string[] | undefined },
  field = 'dataset uri',
): Promise<string> {
  const reference = /^reference:\/\/(regular|traits)$/.exec(uri);
  if (reference) {
    await ensureReferenceCorpora(paths.referenceDatasets);
    return join(paths.referenceDatasets, `${reference[1]}.jsonl`);
  }
  try {
    return resolveUserPath(uri, { field, roots: paths.datasetRoots ?? [dirname(paths.referenceDatasets)], rootsSetting: DATASET_ROOTS_SETTING }).path;
  } catch (error) {
    if (isUserPathError(error)) throw ApplicationFailure.nonRetryable(error.message, error.code);
    throw error;
  }
}
