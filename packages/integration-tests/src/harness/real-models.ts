import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { mlEnvironments, repositoryRoot, type BallastConfig } from '@ballast/config';
import { readBenchmarkEntryFile } from '@ballast/harnesses';
import { buildTinyModel } from '@ballast/ml-env';
import type { ExperimentSpecInput } from '@ballast/schema';
import type { TestStack } from './stack.js';

/** The repository's examples: the tiny TRL spec, its reward function and the example benchmarks. */
export const EXAMPLES_DIR = join(repositoryRoot(), 'examples');

/** What a real-model test stack needs besides the defaults: the examples may be named as ML paths. */
export const REAL_MODEL_ENV = { BALLAST_ML_ROOTS: EXAMPLES_DIR } as const;

/** The default ML environment's interpreter on this host (`npm run setup:ml` builds it). */
export function defaultPython(config: BallastConfig): string {
  return mlEnvironments(config)['default']!.python;
}

/** Builds the tiny random model under the stack's $BALLAST_HOME/models and returns its file URI. */
export async function tinyModel(stack: TestStack, seed = 0): Promise<string> {
  const dir = join(stack.home, 'models', `tiny-random-${seed}`);
  await buildTinyModel({ python: defaultPython(stack.config), dir, seed });
  return pathToFileURL(dir).href;
}

/** Registers every example benchmark (examples/benchmarks/*.benchmark.yaml) through the API; returns their refs. */
export async function registerExampleBenchmarks(stack: TestStack): Promise<string[]> {
  const dir = join(EXAMPLES_DIR, 'benchmarks');
  const refs: string[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.benchmark.yaml')).sort()) {
    const entry = await readBenchmarkEntryFile(join(dir, name));
    const { ref } = await stack.api.benchmarks.add.mutate({ entry });
    refs.push(ref);
  }
  return refs;
}

/**
 * examples/tiny-trl.yaml with its two paths filled in (the model, the example reward function) and
 * `overrides` merged into `spec` one level deep (trainer, evaluation, backend replace field by field).
 */
export async function tinyTrlSpec(
  modelUri: string,
  overrides: { name?: string; trainer?: Record<string, unknown>; evaluation?: Record<string, unknown>; backend?: Record<string, unknown>; arms?: unknown[]; comparisons?: unknown[]; reuse?: boolean } = {},
): Promise<ExperimentSpecInput> {
  const spec = parseYaml(await readFile(join(EXAMPLES_DIR, 'tiny-trl.yaml'), 'utf8')) as ExperimentSpecInput & { spec: Record<string, unknown> };
  const body = spec.spec as Record<string, Record<string, unknown>>;
  body['trainer'] = {
    ...body['trainer'],
    reward: { path: pathToFileURL(join(EXAMPLES_DIR, 'rewards', 'trait_reward.py')).href, name: 'trait_reward' },
    ...overrides.trainer,
  };
  body['evaluation'] = { ...body['evaluation'], ...overrides.evaluation };
  body['backend'] = { ...body['backend'], ...overrides.backend };
  if (overrides.arms) (spec.spec as Record<string, unknown>)['arms'] = overrides.arms;
  if (overrides.comparisons) (spec.spec as Record<string, unknown>)['comparisons'] = overrides.comparisons;
  (spec.spec as Record<string, unknown>)['baseCheckpoint'] = modelUri;
  if (overrides.reuse !== undefined) (spec.spec as Record<string, unknown>)['reuse'] = overrides.reuse;
  if (overrides.name) spec.metadata = { ...spec.metadata, name: overrides.name };
  return spec;
}
