import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pythonFor, terminalText as t } from '@ballast/config';
import { buildTinyModel, isMlEnvironmentError, ML_ENV_ERROR_CODES, TINY_MODEL_LABEL } from '@ballast/ml-env';
import type { CliContext } from '../context.js';
import { CliExit, EXIT } from '../exit-codes.js';

const USAGE = 'usage: ballast models tiny DIR [--seed N]';

/**
 * `ballast models tiny DIR [--seed N]`: builds the tiny random model (a Llama causal LM and a tokenizer
 * trained here, Hugging Face format) into DIR with the default ML environment's interpreter.
 */
export async function modelsCommand(ctx: CliContext, args: readonly string[], options: { seed?: string | undefined }): Promise<void> {
  const [verb, target, ...extra] = args;
  if (verb !== 'tiny' || !target || extra.length > 0) throw new CliExit(EXIT.invalid, USAGE);
  const seed = parseSeed(options.seed);
  const python = pythonFor(ctx.config, 'default', 'local')!;
  const dir = resolve(target);
  ctx.err(`building the ${TINY_MODEL_LABEL} in ${t(dir)} with ${t(python)} …`);
  try {
    const model = await buildTinyModel({ python, dir, seed, environment: 'default' });
    ctx.out(
      [
        `${TINY_MODEL_LABEL}`,
        `  directory:  ${t(model.dir)}`,
        `  model:      Llama, ${model.parameters.toLocaleString('en-US')} parameters, vocabulary ${model.vocabSize}, seed ${model.seed}`,
        `  use it as:  baseCheckpoint: ${t(pathToFileURL(model.dir).href)}`,
        `  built in ${model.seconds.toFixed(1)} s`,
      ].join('\n'),
    );
  } catch (error) {
    if (!isMlEnvironmentError(error)) throw error;
    const invalid = error.code === ML_ENV_ERROR_CODES.modelDirNotEmpty || error.code === ML_ENV_ERROR_CODES.invalidArgument;
    throw new CliExit(invalid ? EXIT.invalid : EXIT.failed, error.message);
  }
}

function parseSeed(seed: string | undefined): number {
  if (seed === undefined) return 0;
  if (!/^\d{1,15}$/.test(seed)) throw new CliExit(EXIT.invalid, `--seed: must be an integer of 0 or more (got '${t(seed)}')`);
  return Number(seed);
}
