import { ApplicationFailure } from '@temporalio/common';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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
  const trainer = spec.spec.trainer;
  // A reward function is code the spec names by path: its content decides the result, not its name.
  const reward = isRealFramework(trainer) && trainer.reward ? await fileHash(fileURLToPath(trainer.reward.path)) : null;
  return `sha256:${sha256Hex(
    canonicalJson({ ...inputs, mixId, reward, baseModel: await baseModelHash(baseCheckpoint as string), code: await codeVersion(deps, spec) }),
  )}`;
}

/**
 * The attack key: an attack's results depend on the checkpoint attacked, the attack data's content,
 * the attack's settings, the seed, the GPUs it runs on (they set the per-device batch) and the code
 * that runs it (for real models TRL's SFT, whatever framework trained them).
 */
export async function attackKeyFor(
  deps: ActivityDeps,
  spec: ResolvedExperimentSpec,
  input: { checkpointHash: string; dataHash: string; attack: unknown; seed: number },
): Promise<string> {
  const gpus = isRealFramework(spec.spec.trainer) ? spec.spec.backend.resources.gpus : 0;
  return `sha256:${sha256Hex(canonicalJson({ ...input, gpus, code: await codeVersion(deps, spec, 'attack') }))}`;
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

async function fileHash(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return `sha256:${hash.digest('hex')}`;
}

/** Every file below a model directory with its size and modification time, symbolic links followed (a Hugging Face cache snapshot is all links). */
async function modelFiles(root: string, rel = ''): Promise<{ rel: string; size: number; mtimeMs: number }[]> {
  const out: { rel: string; size: number; mtimeMs: number }[] = [];
  for (const name of (await readdir(join(root, rel))).sort()) {
    const childRel = rel === '' ? name : `${rel}/${name}`;
    const info = await stat(join(root, childRel));
    if (info.isDirectory()) out.push(...(await modelFiles(root, childRel)));
    else if (info.isFile()) out.push({ rel: childRel, size: info.size, mtimeMs: info.mtimeMs });
  }
  return out;
}

/**
 * The base model's content hash: the reference policy's initial parameters, or every file of a model
 * directory (links followed). Remembered per process by every file's name, size and modification time,
 * so a large model is read once and a file replaced in place is read again.
 */
export async function baseModelHash(baseCheckpoint: string): Promise<string> {
  if (!baseCheckpoint.startsWith('file://')) return `sha256:${sha256Hex(serializePolicy(initialPolicy()))}`;
  const dir = fileURLToPath(baseCheckpoint);
  const files = await modelFiles(dir);
  if (files.length === 0) throw ApplicationFailure.nonRetryable(`base model ${dir} has no files`, 'BaseModelEmpty');
  const signature = sha256Hex(JSON.stringify(files));
  return await remembered(`model\u0000${dir}\u0000${signature}`, async () => {
    const hash = createHash('sha256');
    for (const f of files) hash.update(`${f.rel}\0${f.size}\0${await fileHash(join(dir, f.rel))}\0`);
    return `sha256:${hash.digest('hex')}`;
  });
}

/** The compiled code of a package (its dist/, without tests, maps and declarations), hashed once per process. */
function packageCodeHash(dist: string): Promise<string> {
  return remembered(`code\u0000${dist}`, async () => {
    const notCode = (await listFilesUnder(dist)).filter((f) => !f.endsWith('.js') || f.endsWith('.test.js'));
    return await hashDirectory(dist, notCode);
  });
}

const resolveFrom = createRequire(import.meta.url);

function distOf(packageName: string): string {
  return dirname(resolveFrom.resolve(packageName));
}

/** The model code under every framework: its versions change what training computes. */
const MODEL_STACK = [
  { dist: 'torch', module: 'torch' },
  { dist: 'transformers', module: 'transformers' },
] as const;

/**
 * What runs the training, as versions: the reference trainer's compiled program; a real framework's
 * runner and renderer plus the framework, torch and transformers versions the environment records;
 * a configured command's program file and arguments.
 */
export async function codeVersion(deps: ActivityDeps, spec: ResolvedExperimentSpec, work: 'train' | 'attack' = 'train'): Promise<Record<string, string>> {
  const trainer = spec.spec.trainer;
  // The reference workload's one compiled package holds both its trainer and its attack.
  if (trainer.framework === 'reference') return { referenceTrainer: await packageCodeHash(dirname(dirname(programPaths.train))) };
  if (isRealFramework(trainer)) {
    const python = deps.ml?.pythonFor(trainer.environment, 'local');
    if (!python) throw ApplicationFailure.nonRetryable(`no ML environment '${trainer.environment}' is configured on this worker`, 'MlEnvironmentMissing');
    // Training: the framework and the model stack under it; an attack: TRL (SFT), whatever trained the model.
    const framework = work === 'attack' ? 'trl' : trainer.framework;
    const require = [...FRAMEWORK_REQUIREMENTS[framework], ...MODEL_STACK].filter((r, i, all) => all.findIndex((o) => o.dist === r.dist) === i);
    let packages: Record<string, string>;
    try {
      packages = (await probeEnvironment({ name: trainer.environment, python, require })).packages;
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
