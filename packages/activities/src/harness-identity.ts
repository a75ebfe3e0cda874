import { ApplicationFailure } from '@temporalio/common';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { hashDirectory, listFilesUnder } from '@ballast/job-contract';
import { HARNESS_REQUIREMENTS, MlEnvironmentError, probeEnvironment } from '@ballast/ml-env';
import type { HarnessSpec } from '@ballast/schema';

type RealHarness = Exclude<HarnessSpec, { kind: 'reference' }>;

/** The packages besides the harness whose versions change a harness's numbers: the model code under it. */
const MODEL_STACK = ['torch', 'transformers'] as const;

/**
 * The versions of inspect_ai and lm-eval in an environment, and of the model stack under them
 * (`torch@…,transformers@…`), for evaluation cache keys. Probed on the worker with the environment's
 * interpreter as this host sees it (probes are cached briefly).
 */
export async function harnessVersions(
  python: string,
  environment: string,
  kinds: readonly RealHarness['kind'][],
): Promise<Record<RealHarness['kind'], string> & { modelStack: string }> {
  try {
    const probed = await probeEnvironment({ name: environment, python, require: kinds.flatMap((k) => HARNESS_REQUIREMENTS[k]) });
    const modelStack = MODEL_STACK.flatMap((name) => (probed.packages[name] ? [`${name}@${probed.packages[name]}`] : [])).join(',');
    return { inspect: probed.packages['inspect-ai'] ?? 'unknown', 'lm-eval': probed.packages['lm-eval'] ?? 'unknown', modelStack };
  } catch (err) {
    if (err instanceof MlEnvironmentError) throw ApplicationFailure.nonRetryable(err.message, err.code);
    throw err;
  }
}

/**
 * What a task's own files hash to: a task file's directory (the file and the data beside it), an
 * lm-eval include directory, or, for a task registered inside the harness, its name (the harness
 * version in the cache key covers it).
 */
export async function taskContentHash(harness: RealHarness): Promise<string> {
  if (harness.kind === 'inspect') {
    if (!harness.task.startsWith('file://')) return `registered:${harness.task}`;
    const file = fileURLToPath(harness.task.replace(/#[^#]*$/, ''));
    return await hashTaskDirectory(dirname(file));
  }
  if (harness.includePath) return await hashTaskDirectory(fileURLToPath(harness.includePath));
  return `registered:${harness.task}`;
}

/** A task directory's hash without Python's bytecode caches, which importing the task file writes there. */
async function hashTaskDirectory(dir: string): Promise<string> {
  const caches = (await listFilesUnder(dir)).filter((f) => f.split('/').includes('__pycache__') || f.endsWith('.pyc'));
  return await hashDirectory(dir, caches);
}
