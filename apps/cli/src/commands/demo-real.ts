import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { homePaths, mlEnvironments, mlVenvDir, repositoryRoot, terminalText as t, type BallastConfig } from '@ballast/config';
import { readBenchmarkEntryFile } from '@ballast/harnesses';
import { buildTinyModel, TINY_MODEL_LABEL } from '@ballast/ml-env';
import { ensureMlVenv, MlSetupError } from '@ballast/ml-env/setup';
import type { BallastClient } from '../api-client.js';
import type { CliContext } from '../context.js';
import { CliExit, EXIT } from '../exit-codes.js';

export const EXAMPLES_DIR = join(repositoryRoot(), 'examples');
const TINY_SPEC = join(EXAMPLES_DIR, 'tiny-trl.yaml');

/** The demo's configuration: the repository's examples (reward function, benchmark task files) may be named. */
export function realDemoConfig(config: BallastConfig): BallastConfig {
  return { ...config, ml: { ...config.ml, allowedRoots: [...config.ml.allowedRoots, EXAMPLES_DIR] } };
}

/**
 * Makes sure the default ML environment exists: the project-local venv is built from the pinned lock
 * file on first use (`npm run setup:ml`, about 10 minutes and 3 GB of downloads once per machine). A
 * configured environment elsewhere is the operator's, and is only checked at launch.
 */
export async function ensureDemoEnvironment(ctx: CliContext): Promise<string> {
  const python = mlEnvironments(ctx.config)['default']!.python;
  if (python.startsWith(mlVenvDir(ctx.config))) {
    ctx.out('checking the ML environment (first use builds it: npm run setup:ml) …');
    try {
      await ensureMlVenv({ toolsDir: ctx.config.toolsDir, log: (line) => ctx.err(line) });
    } catch (error) {
      if (!(error instanceof MlSetupError)) throw error;
      throw new CliExit(EXIT.failed, `could not build the ML environment while ${t(error.message)}\n${t(error.logTail)}`);
    }
  }
  if (!existsSync(python)) throw new CliExit(EXIT.failed, `the default ML environment has no interpreter at ${t(python)}; run npm run setup:ml`);
  return python;
}

/** The tiny random model under $BALLAST_HOME/models, built once (about 20 s). */
export async function ensureTinyModel(ctx: CliContext, python: string): Promise<string> {
  const dir = join(homePaths(ctx.config).models, 'tiny-random');
  if (!existsSync(join(dir, 'BALLAST_MODEL.json'))) {
    ctx.out(`building the ${TINY_MODEL_LABEL} at ${t(dir)} …`);
    await mkdir(homePaths(ctx.config).models, { recursive: true, mode: 0o700 });
    await buildTinyModel({ python, dir, seed: 0 });
  }
  return pathToFileURL(dir).href;
}

/** Registers the example benchmarks (idempotent: an entry already registered with the same content is kept). */
export async function registerExampleBenchmarks(client: BallastClient): Promise<string[]> {
  const dir = join(EXAMPLES_DIR, 'benchmarks');
  const refs: string[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.benchmark.yaml')).sort()) {
    const { ref } = await client.benchmarks.add.mutate({ entry: await readBenchmarkEntryFile(join(dir, name)) });
    refs.push(ref);
  }
  return refs;
}

/** examples/tiny-trl.yaml with the model and the example reward function filled in, written under $BALLAST_HOME/demo. */
export async function writeTinySpec(ctx: CliContext, modelUri: string): Promise<string> {
  const spec = parseYaml(await readFile(TINY_SPEC, 'utf8')) as { spec: { baseCheckpoint: string; trainer: { reward: { path: string } } } };
  spec.spec.baseCheckpoint = modelUri;
  spec.spec.trainer.reward.path = pathToFileURL(join(EXAMPLES_DIR, 'rewards', 'trait_reward.py')).href;
  const dir = join(ctx.config.home, 'demo');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'tiny-trl.yaml');
  await writeFile(file, toYaml(spec), { mode: 0o600 });
  return file;
}
