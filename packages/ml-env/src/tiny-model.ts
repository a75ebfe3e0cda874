import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { MlEnvironmentError } from './errors.js';
import { PYTHON_SCRIPTS, runPython, tailLines } from './python-process.js';

/** Said wherever the tiny model shows: its outputs are gibberish. Also in its BALLAST_MODEL.json. */
export const TINY_MODEL_LABEL = 'tiny random model: proves the plumbing, not the science';
/** The file a model built by Ballast carries to say what it is. */
export const MODEL_INFO_FILE = 'BALLAST_MODEL.json';
/** Building takes about 5 s here; the first import of torch on a cold machine, much longer. */
export const DEFAULT_TINY_MODEL_TIMEOUT_MS = 300_000;

/** What tiny_model.py writes to BALLAST_MODEL.json. */
export const TinyModelInfo = z.object({
  kind: z.literal('tiny-random'),
  label: z.literal(TINY_MODEL_LABEL),
  seed: z.number().int().nonnegative(),
  parameters: z.number().int().positive(),
  architecture: z.literal('llama'),
  vocabSize: z.number().int().positive(),
});
export type TinyModelInfo = z.infer<typeof TinyModelInfo>;

export interface BuildTinyModelInput {
  /** The interpreter of an environment with torch, transformers and tokenizers. */
  readonly python: string;
  /** Absolute; must not exist, or be an empty directory. */
  readonly dir: string;
  readonly seed?: number;
  /** Only for messages: the environment `python` belongs to. */
  readonly environment?: string;
  readonly timeoutMs?: number;
}

/**
 * Builds the tiny random causal LM and its locally trained tokenizer into `dir`, in Hugging Face
 * format (see python/tiny_model.py); the same seed gives the same files. It is built in a sibling
 * directory and renamed into place, so a failure leaves nothing at `dir`.
 *
 * @throws MlEnvironmentError ML_ENV_MODEL_DIR_NOT_EMPTY, ML_ENV_INVALID_ARGUMENT, ML_ENV_PYTHON_MISSING,
 *   ML_ENV_PACKAGE_MISSING, ML_ENV_MODEL_BUILD_FAILED
 */
export async function buildTinyModel(input: BuildTinyModelInput): Promise<TinyModelInfo & { readonly dir: string; readonly seconds: number }> {
  const { python, dir, seed = 0, environment = 'default' } = input;
  if (!Number.isSafeInteger(seed) || seed < 0) throw MlEnvironmentError.invalidArgument('seed', `must be an integer of 0 or more (got ${String(seed)})`);
  if (!isAbsolute(dir)) throw MlEnvironmentError.invalidArgument('dir', `must be an absolute path (got ${dir})`);
  if (!(await isAbsentOrEmptyDir(dir))) throw MlEnvironmentError.modelDirNotEmpty(dir);

  const started = Date.now();
  await mkdir(dirname(dir), { recursive: true });
  const staging = join(dirname(dir), `.${basename(dir)}.building-${randomBytes(4).toString('hex')}`);
  try {
    const run = await runPython(python, [PYTHON_SCRIPTS.tinyModel, staging, '--seed', String(seed)], { timeoutMs: input.timeoutMs ?? DEFAULT_TINY_MODEL_TIMEOUT_MS, threads: 2 });
    if (run.kind === 'not-started') {
      throw MlEnvironmentError.pythonMissing(environment, python, run.errorCode === 'ENOENT' ? 'does not exist' : `could not be started (${run.errorCode})`);
    }
    if (run.kind === 'killed') {
      const why = run.timedOut ? `did not finish within ${Math.round((input.timeoutMs ?? DEFAULT_TINY_MODEL_TIMEOUT_MS) / 1000)} s` : `was killed by ${run.signal}`;
      throw MlEnvironmentError.modelBuildFailed(python, why, tailLines(run.stderrTail));
    }
    if (run.code === 3) throw MlEnvironmentError.modelPackageMissing(environment, python, tailLines(run.stderrTail, 3));
    if (run.code !== 0) throw MlEnvironmentError.modelBuildFailed(python, `exited with code ${run.code}`, tailLines(run.stderrTail));

    const info = TinyModelInfo.safeParse(JSON.parse(await readFile(join(staging, MODEL_INFO_FILE), 'utf8')));
    if (!info.success) throw MlEnvironmentError.modelBuildFailed(python, `wrote a ${MODEL_INFO_FILE} this package does not know: ${info.error.message}`);
    try {
      // Replaces an empty directory at `dir`; refuses one that filled up meanwhile.
      await rename(staging, dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') throw MlEnvironmentError.modelDirNotEmpty(dir);
      throw error;
    }
    return { ...info.data, dir, seconds: (Date.now() - started) / 1000 };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function isAbsentOrEmptyDir(dir: string): Promise<boolean> {
  try {
    if (!(await stat(dir)).isDirectory()) return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  return (await readdir(dir)).length === 0;
}
