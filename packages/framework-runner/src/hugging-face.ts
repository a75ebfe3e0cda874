import { spawn } from 'node:child_process';
import { access, link, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openRlhfHfCheckpointDir, verlActorCheckpointDir, verlMergeCommand, type NativeCheckpoint } from '@ballast/frameworks';
import type { FrameworkTrainJobSpec } from '@ballast/schema';
import { FrameworkRunnerError } from './errors.js';
import { LineTail } from './lines.js';

/**
 * Where a converted Hugging Face model directory goes inside a native checkpoint. The platform's
 * checkpoint-model lookup reads the same name (`CONVERTED_HF_DIR` in @ballast/activities).
 */
export const CONVERTED_HF_DIR = 'hf';

export interface ConversionContext {
  readonly spec: FrameworkTrainJobSpec;
  /** False once the framework has exited (or before it starts): nothing is being written any more. */
  readonly frameworkRunning: boolean;
  /** Whether a later native checkpoint is already complete. */
  readonly laterComplete: boolean;
  readonly log: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

/** `ready`: the native checkpoint is (now) a Hugging Face model directory or holds one; `wait`: ask again later. */
export type ConversionState = 'ready' | 'wait';

/** TRL saves Hugging Face model directories already. */
export async function trlToHuggingFace(): Promise<ConversionState> {
  return 'ready';
}

/**
 * verl saves FSDP shards: its own model merger turns the actor into `<native>/hf`, through a temporary
 * directory renamed into place, so a crash mid-merge is redone rather than mistaken for a model.
 */
export async function verlToHuggingFace(checkpoint: NativeCheckpoint, ctx: ConversionContext): Promise<ConversionState> {
  const target = join(checkpoint.nativePath, CONVERTED_HF_DIR);
  if (await exists(join(target, 'config.json'))) return 'ready';
  const staging = join(checkpoint.nativePath, `.${CONVERTED_HF_DIR}-merging`);
  await rm(staging, { recursive: true, force: true });
  await rm(target, { recursive: true, force: true });
  const argv = verlMergeCommand({ python: ctx.spec.python, actorDir: verlActorCheckpointDir(checkpoint.nativePath), targetDir: staging });
  ctx.log(`converting verl checkpoint step ${checkpoint.step} with verl's model merger: ${argv.join(' ')}`);
  await runToCompletion(argv, checkpoint.step, ctx.env ?? process.env);
  if (!(await exists(join(staging, 'config.json')))) {
    throw FrameworkRunnerError.conversionFailed(checkpoint.step, `verl's model merger wrote no config.json into ${staging}`);
  }
  await rename(staging, target);
  return 'ready';
}

/**
 * OpenRLHF writes its Hugging Face copy of step N (`<out>/ckpt/global_stepN_hf`) after the DeepSpeed
 * tag that makes the checkpoint complete, so the copy is only known to be whole once a later
 * checkpoint is complete or the framework has exited. It is then hard-linked into `<native>/hf`: no
 * bytes are copied, native.json covers the model files, and OpenRLHF's own rotation of its copies
 * cannot take the model away from under a committed checkpoint.
 */
export async function openRlhfToHuggingFace(checkpoint: NativeCheckpoint, ctx: ConversionContext): Promise<ConversionState> {
  const target = join(checkpoint.nativePath, CONVERTED_HF_DIR);
  if (await exists(join(target, 'config.json'))) return 'ready';
  if (ctx.frameworkRunning && !ctx.laterComplete) return 'wait';
  const source = openRlhfHfCheckpointDir(ctx.spec.nativeOutputDir, checkpoint.step);
  if (!(await exists(join(source, 'config.json')))) {
    throw FrameworkRunnerError.conversionFailed(
      checkpoint.step,
      `OpenRLHF wrote no Hugging Face copy at ${source}; the launch must be rendered with its HF save option`,
    );
  }
  const staging = join(checkpoint.nativePath, `.${CONVERTED_HF_DIR}-linking`);
  await rm(staging, { recursive: true, force: true });
  await linkTree(source, staging);
  await rm(target, { recursive: true, force: true });
  await rename(staging, target);
  ctx.log(`linked OpenRLHF's Hugging Face copy of step ${checkpoint.step} into ${target}`);
  return 'ready';
}

async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.isDirectory()) await linkTree(join(from, entry.name), join(to, entry.name));
    else if (entry.isFile()) await link(join(from, entry.name), join(to, entry.name));
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Runs a conversion argv (no shell), its output forwarded to the job log; throws with its stderr tail on failure. */
async function runToCompletion(argv: readonly string[], step: number, env: NodeJS.ProcessEnv): Promise<void> {
  const [program, ...args] = argv;
  if (program === undefined) throw FrameworkRunnerError.conversionFailed(step, 'empty command');
  const tail = new LineTail(20);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => process.stdout.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      tail.push(chunk);
    });
    child.on('error', (err) => reject(FrameworkRunnerError.conversionFailed(step, `${program} could not be started: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(FrameworkRunnerError.conversionFailed(step, `${signal !== null ? `killed by ${signal}` : `exit code ${code}`}:\n${tail.lines().join('\n')}`));
    });
  });
}
