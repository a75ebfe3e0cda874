import { ApplicationFailure } from '@temporalio/common';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashDirectory, listFilesUnder } from '@ballast/job-contract';
import { FRAMEWORK_REQUIREMENTS, MlEnvironmentError, probeEnvironment } from '@ballast/ml-env';
import { initialPolicy, programPaths, serializePolicy } from '@ballast/reference-workload';
import { canonicalJson, isRealFramework, trainingInputs, type ResolvedArm, type ResolvedExperimentSpec } from '@ballast/schema';
import type { ActivityDeps } from './deps.js';
import { sha256Hex } from './hashing.js';

/**
 * The training key (docs/architecture.md, "Shared arms"): the spec-level training inputs with the
 * datasets replaced by the built mix (its id hashes the selection and every source's content) and the
 * base model by its content hash, plus the code version. Two runs with equal keys train the same model.
 */
export async function trainingKeyFor(deps: ActivityDeps, spec: ResolvedExperimentSpec, arm: ResolvedArm, mixId: string): Promise<string> {
  const { datasets: _names, baseCheckpoint, ...inputs } = trainingInputs(spec, arm);
  return `sha256:${sha256Hex(
    canonicalJson({ ...inputs, mixId, baseModel: await baseModelHash(baseCheckpoint as string), code: await codeVersion(deps, spec) }),
  )}`;
}

/**
 * The attack key: an attack's results depend on the checkpoint attacked, the attack data's content,
 * the attack's settings and the code that runs it.
 */
export async function attackKeyFor(
  deps: ActivityDeps,
  spec: ResolvedExperimentSpec,
  input: { checkpointHash: string; dataHash: string; attack: unknown; seed: number },
): Promise<string> {
  return `sha256:${sha256Hex(canonicalJson({ ...input, code: await codeVersion(deps, spec) }))}`;
}

const memo = new Map<string, Promise<string>>();

function remembered(key: string, compute: () => Promise<string>): Promise<string> {
  let value = memo.get(key);
  if (!value) {
    value = compute();
    memo.set(key, value);
    value.catch(() => memo.delete(key));
  }
  return value;
}

/**
 * The base model's content hash: the reference policy's initial parameters, or every file of a model
 * directory. Remembered per process by path, size and modification time, so a large model is read once.
 */
export async function baseModelHash(baseCheckpoint: string): Promise<string> {
  if (!baseCheckpoint.startsWith('file://')) return `sha256:${sha256Hex(serializePolicy(initialPolicy()))}`;
  const dir = fileURLToPath(baseCheckpoint);
  const info = await stat(dir);
  return await remembered(`model\u0000${dir}\u0000${info.mtimeMs}`, () => hashDirectory(dir));
}

/** The compiled code of a package (its dist/, without tests, maps and declarations), hashed once per process. */
function packageCodeHash(dist: string): Promise<string> {
  return remembered(`code\u0000${dist}`, async () => {
    const notCode = (await listFilesUnder(dist)).filter((f) => !f.endsWith('.js') || f.endsWith('.test.js'));
    return await hashDirectory(dist, notCode);
  });
}

const require = createRequire(import.meta.url);

function distOf(packageName: string): string {
  return dirname(require.resolve(packageName));
}

/**
 * What runs the training, as versions: the reference trainer's compiled program; a real framework's
 * runner and renderer plus the framework, torch and transformers versions the environment records;
 * a configured command's program file and arguments.
 */
export async function codeVersion(deps: ActivityDeps, spec: ResolvedExperimentSpec): Promise<Record<string, string>> {
  const trainer = spec.spec.trainer;
  if (trainer.framework === 'reference') return { referenceTrainer: await packageCodeHash(dirname(dirname(programPaths.train))) };
  if (isRealFramework(trainer)) {
    const python = deps.ml?.pythonFor(trainer.environment, 'local');
    if (!python) throw ApplicationFailure.nonRetryable(`no ML environment '${trainer.environment}' is configured on this worker`, 'MlEnvironmentMissing');
    let packages: Record<string, string>;
    try {
      packages = (await probeEnvironment({ name: trainer.environment, python, require: FRAMEWORK_REQUIREMENTS[trainer.framework] })).packages;
    } catch (err) {
      if (err instanceof MlEnvironmentError) throw ApplicationFailure.nonRetryable(err.message, err.code);
      throw err;
    }
    return {
      runner: await packageCodeHash(distOf('@ballast/framework-runner')),
      renderer: await packageCodeHash(distOf('@ballast/frameworks')),
      ...Object.fromEntries(Object.entries(packages).sort(([a], [b]) => a.localeCompare(b))),
    };
  }
  const command = deps.ml?.commands[trainer.command];
  if (!command) return { command: trainer.command };
  let program = 'unreadable';
  try {
    program = sha256Hex((await readFile(command.program)).toString('latin1'));
  } catch {
    // A program this worker cannot read gets a key no other run shares unless it is unreadable too.
  }
  return { command: trainer.command, program, args: canonicalJson(command.args) };
}
