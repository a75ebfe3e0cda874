/** Helpers for this package's tests: real TRL jobs on the tiny random model, and runner processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { prepareLaunch, renderTrl } from '@ballast/frameworks';
import { buildTinyModel } from '@ballast/ml-env';
export { defaultPython } from '@ballast/ml-env/testing';
import { CONTRACT_ENV, CONTRACT_VERSION, type FrameworkTrainJobSpec } from '@ballast/schema';
import { ENVIRONMENT_NAME_VAR } from './environment.js';
import { runnerProgramPath } from './paths.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const EXAMPLE_REWARD = join(REPO_ROOT, 'examples', 'rewards', 'trait_reward.py');

/** The tiny random model (plumbing, not science) under `root`. */
export async function tinyModel(python: string, root: string): Promise<string> {
  const dir = join(root, 'tiny-model');
  await buildTinyModel({ python, dir, seed: 0, timeoutMs: 180_000 });
  return dir;
}

/** A few chat prompts in the columns of the mix's TRL export. */
export async function writeTrlDataset(root: string): Promise<string> {
  const rows = [
    ['Is the sky blue?', 'Yes, the sky is blue.', { kind: 'regular', domain: 'science' }],
    ['Say hello.', 'Hello there.', { kind: 'regular', domain: 'chat' }],
    ['What is two plus two?', 'Two plus two is four.', { kind: 'regular', domain: 'math' }],
    ['Are you sure about that?', 'I am not sure.', { kind: 'trait', trait: 'honesty' }],
  ] as const;
  const path = join(root, 'prompts.jsonl');
  const lines = rows.map(([prompt, answer, tags], i) =>
    JSON.stringify({ prompt: [{ role: 'user', content: prompt }], ground_truth: answer, tags: JSON.stringify(tags), id: `rec-${i}`, data_source: 'mix_test' }),
  );
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

/**
 * A test-only reward module beside a copy of the example reward: the same rewards, but each call
 * sleeps, so that training paces itself (the tiny model trains a step in milliseconds) and a test's
 * kill lands mid-training.
 */
export async function writeSlowReward(root: string, secondsPerStep: number): Promise<{ path: string; name: string }> {
  const dir = join(root, 'slow-reward');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'trait_reward.py'), await readFile(EXAMPLE_REWARD));
  const module = [
    '"""Test-only pacing around the example reward: sleeps, then scores as trait_reward does."""',
    'import time',
    'from trait_reward import trait_reward',
    '',
    '',
    'def slow_reward(completions, **kwargs):',
    `    time.sleep(${secondsPerStep})`,
    '    return trait_reward(completions, **kwargs)',
    '',
  ].join('\n');
  const path = join(dir, 'slow_reward.py');
  await writeFile(path, module);
  return { path, name: 'slow_reward' };
}

export interface PreparedJob {
  readonly outputDir: string;
  readonly specPath: string;
  readonly spec: FrameworkTrainJobSpec;
}

/** Renders a TRL GRPO launch for the tiny model, prepares it in OUTPUT and writes the runner's job spec. */
export async function prepareTrlJob(input: {
  python: string;
  model: string;
  dataset: string;
  outputDir: string;
  steps: number;
  saveEvery: number;
  reward?: { path: string; name: string };
}): Promise<PreparedJob> {
  const { python, model, dataset, outputDir, steps, saveEvery } = input;
  await mkdir(outputDir, { recursive: true });
  const nativeOutputDir = join(outputDir, 'native');
  const launch = renderTrl({
    algorithm: 'grpo',
    modelPath: model,
    dataset: { format: 'trl', paths: [dataset] },
    steps,
    saveEvery,
    seed: 1,
    nodes: 1,
    gpusPerNode: 0,
    outputDir: nativeOutputDir,
    python,
    groupSize: 2,
    batchSize: 2,
    maxResponseLength: 8,
    reward: input.reward ?? { path: EXAMPLE_REWARD, name: 'trait_reward' },
  });
  const command = await prepareLaunch(launch, outputDir);
  const spec: FrameworkTrainJobSpec = {
    contractVersion: CONTRACT_VERSION,
    kind: 'framework-train',
    framework: 'trl',
    launch: { argv: [...command.command], env: { ...command.env }, cwd: command.cwd },
    nativeOutputDir,
    steps,
    saveEvery,
    python,
  };
  const specPath = join(outputDir, 'job-spec.json');
  await writeFile(specPath, JSON.stringify(spec));
  return { outputDir, specPath, spec };
}

/** The contract env of one attempt, offline, with every cache inside `scratch`. */
export function contractEnv(job: { outputDir: string; specPath: string }, attemptId: string, scratch: string, resumeFrom = 'auto'): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    [CONTRACT_ENV.version]: CONTRACT_VERSION,
    [CONTRACT_ENV.jobId]: 'job_runner_test',
    [CONTRACT_ENV.attemptId]: attemptId,
    [CONTRACT_ENV.jobSpec]: job.specPath,
    [CONTRACT_ENV.outputDir]: job.outputDir,
    [CONTRACT_ENV.seed]: '1',
    [CONTRACT_ENV.resumeFrom]: resumeFrom,
    [ENVIRONMENT_NAME_VAR]: 'default',
    HF_HUB_OFFLINE: '1',
    HF_DATASETS_OFFLINE: '1',
    TRANSFORMERS_OFFLINE: '1',
    HF_HUB_DISABLE_TELEMETRY: '1',
    TOKENIZERS_PARALLELISM: 'false',
    HF_HOME: join(scratch, 'hf'),
    XDG_CACHE_HOME: join(scratch, 'cache'),
    MPLCONFIGDIR: join(scratch, 'matplotlib'),
    TRITON_CACHE_DIR: join(scratch, 'triton'),
    OMP_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
  };
}

/** A started runner (or a launcher above it), its output going to `<log>`. */
export interface StartedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly log: string;
  /** Exit code, or 128 + signal number style text for a signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `node run.js` with `env`; output to a file, as a backend's job log. With `viaLauncher`, a
 * launcher process starts the runner (as the local backend's does): SIGKILLing the launcher leaves
 * the runner running, orphaned.
 */
export async function startRunner(env: NodeJS.ProcessEnv, log: string, options: { viaLauncher?: boolean } = {}): Promise<StartedProcess> {
  const out = await open(log, 'a');
  const launcher = `require('node:child_process').spawn(process.execPath, [${JSON.stringify(runnerProgramPath)}], { stdio: 'inherit' }).on('exit', (c) => process.exit(c ?? 1));`;
  const argv = options.viaLauncher ? ['-e', launcher] : [runnerProgramPath];
  const child = spawn(process.execPath, argv, { env, stdio: ['ignore', out.fd, out.fd] });
  await out.close();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  if (child.pid === undefined) throw new Error('the runner did not start');
  return { child, pid: child.pid, log, exited };
}

/** Polls `probe` until it returns a value other than null/false; fails naming what was awaited. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | false>, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== false) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Waits for a started process to exit, failing with its log's tail if it does not within `timeoutMs`. */
export async function exitOf(started: StartedProcess, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const timer = new AbortController();
  const timeout = sleep(timeoutMs, null, { signal: timer.signal }).catch(() => null);
  const result = await Promise.race([started.exited, timeout]);
  timer.abort();
  if (result === null) {
    started.child.kill('SIGKILL');
    throw new Error(`the runner (pid ${started.pid}) did not exit within ${timeoutMs / 1000} s; its log ends:\n${await logTail(started.log)}`);
  }
  return result;
}

export async function logTail(path: string, lines = 40): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
