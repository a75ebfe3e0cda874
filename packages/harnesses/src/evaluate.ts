import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ContractInputError, writeEvalResult } from '@ballast/job-contract';
import { HARNESS_REQUIREMENTS, probeEnvironment } from '@ballast/ml-env';
import { CONTRACT_VERSION, type EvalSummary, type HarnessEvalJobSpec, type RuntimeEnvironment } from '@ballast/schema';
import { inspectCommand, inspectModelArgs, inspectPressureTaskArgs, lmEvalCommand, type InspectInput, type LmEvalInput } from './commands.js';
import { HarnessLogError, HarnessPressureError, HarnessRunError, type HarnessKindName } from './errors.js';
import { readInspectLogDir } from './inspect-log.js';
import { readLmEvalOutput } from './lm-eval-output.js';
import { activePressure, lmEvalPressureTaskYaml, type ActivePressure } from './pressure.js';
import { failureMessage, harnessEnv, runHarnessProcess, type HarnessCommand } from './process.js';
import type { HarnessScores } from './scores.js';

/** Where the eval program keeps each harness's own output, under OUTPUT. */
export const HARNESS_OUTPUT_DIR = 'harness';

export interface HarnessEvalOptions {
  readonly spec: HarnessEvalJobSpec;
  readonly outputDir: string;
  readonly onProgress?: (progress: { benchmarks: number }) => void;
  /** Where harness output and notes go (the job's log); stdout by default. */
  readonly log?: (line: string) => void;
  /** The job's own environment, from which a harness gets only locale, temp dir, accelerator and thread settings. */
  readonly env?: NodeJS.ProcessEnv;
  /** The job spec file, named in bad-input errors. */
  readonly specPath?: string;
  /**
   * Checks the environment and says what it holds, for the harnesses given; by default probes the
   * interpreter with @ballast/ml-env (a missing or broken harness fails the job before anything runs).
   */
  readonly probe?: (kinds: readonly HarnessKindName[]) => Promise<RuntimeEnvironment>;
}

/**
 * Runs every benchmark of a harness eval job with its harness (inspect_ai or lm-eval) against the
 * checkpoint, reads the harness's own log into per-item results and writes them to OUTPUT/eval, one
 * benchmark at a time. A harness that fails (non-zero exit, or a log whose status is not success)
 * fails the job with the harness's message. The job's pressure, if any, is applied to every item of
 * every benchmark (pressure.ts); a benchmark it cannot be applied to fails the job before anything runs.
 */
export async function evaluateWithHarnesses(options: HarnessEvalOptions): Promise<{ benchmarks: number }> {
  const { spec, outputDir } = options;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const specPath = options.specPath ?? '(job spec)';
  const refs = spec.benchmarks.map((b, i) => parseRef(b.ref, i, specPath));
  await checkInputs(spec, specPath);
  const pressures = await preparePressure(spec, specPath, outputDir);

  const cacheDir = join(outputDir, HARNESS_OUTPUT_DIR, 'cache');
  await mkdir(join(cacheDir, 'home'), { recursive: true });
  const env = harnessEnv(options.env ?? process.env, spec.python, cacheDir);
  // One probe for every harness the job uses: each costs seconds of Python imports.
  const kinds = [...new Set(spec.benchmarks.map((b) => b.harness.kind))];
  const probe =
    options.probe ??
    ((ks: readonly HarnessKindName[]) =>
      probeEnvironment({ name: spec.environmentName, python: spec.python, require: ks.flatMap((k) => HARNESS_REQUIREMENTS[k]) }));
  const probed = await probe(kinds);
  const environmentFor = (kind: HarnessKindName): RuntimeEnvironment => {
    const dists = new Set<string>(HARNESS_REQUIREMENTS[kind].map((r) => r.dist));
    return { ...probed, packages: Object.fromEntries(Object.entries(probed.packages).filter(([dist]) => dists.has(dist))) };
  };

  let done = 0;
  for (const [i, benchmark] of spec.benchmarks.entries()) {
    const { id, version } = refs[i]!;
    const kind = benchmark.harness.kind;
    const prefix = `[${kind} ${benchmark.ref}]`;
    const environment = environmentFor(kind);
    const workDir = join(outputDir, HARNESS_OUTPUT_DIR, kind, benchmark.ref);
    // A retried attempt starts clean: the adapters read the one run this attempt makes.
    await rm(workDir, { recursive: true, force: true });
    await mkdir(workDir, { recursive: true });

    const started = Date.now();
    const pressure = pressures[i]!;
    if (pressure.active !== null) log(`${prefix} pressure ${pressure.active.ref}: ${pressure.active.kind} on every item`);
    let scores: HarnessScores;
    try {
      scores =
        kind === 'inspect'
          ? await runInspect(benchmark as InspectInput, spec, workDir, cacheDir, { env, prefix, log }, pressure.active)
          : await runLmEval(benchmark as LmEvalInput, spec, workDir, cacheDir, { env, prefix, log }, pressure);
    } catch (err) {
      if (err instanceof HarnessRunError || err instanceof HarnessLogError) throw err.forBenchmark(benchmark.ref);
      throw err;
    }
    if (kind === 'lm-eval' && spec.samplesPerItem > scores.samplesPerItem) {
      log(`${prefix} note: lm-eval scores each doc once (a task's repeats are reduced to one value per doc), so samplesPerItem is ${scores.samplesPerItem}, not ${spec.samplesPerItem}`);
    }

    const summary: EvalSummary = {
      contractVersion: CONTRACT_VERSION,
      benchmark: id,
      version,
      category: benchmark.category,
      metric: benchmark.metric,
      direction: benchmark.direction,
      n: scores.n,
      mean: scores.mean,
      stderr: scores.stderr,
      simulated: false,
      harness: scores.harness,
      environment,
      samplesPerItem: scores.samplesPerItem,
    };
    await writeEvalResult(outputDir, benchmark.ref, scores.items, summary);
    log(`${prefix} ${scores.n} items × ${scores.samplesPerItem} samples, mean ${scores.scoredBy} ${scores.mean.toFixed(4)} ± ${scores.stderr.toFixed(4)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    done++;
    options.onProgress?.({ benchmarks: done });
  }
  return { benchmarks: done };
}

interface RunContext {
  readonly env: Record<string, string>;
  readonly prefix: string;
  readonly log: (line: string) => void;
}

/** One benchmark's pressure: what it applies, and for an lm-eval prompt wrapper the task YAML to run. */
interface BenchmarkPressure {
  readonly active: ActivePressure | null;
  readonly lmEvalTaskYaml: string | null;
}

/** Works out every benchmark's pressure before anything runs; one it cannot be applied to is bad input. */
async function preparePressure(spec: HarnessEvalJobSpec, specPath: string, outputDir: string): Promise<BenchmarkPressure[]> {
  const out: BenchmarkPressure[] = [];
  try {
    for (const benchmark of spec.benchmarks) {
      const active = activePressure(benchmark, spec.pressure);
      const wrapsLmEval = active?.kind === 'prompt-wrapper' && benchmark.harness.kind === 'lm-eval';
      if (wrapsLmEval && outputDir.includes(',')) {
        throw new HarnessPressureError('lm-eval', active.kind, benchmark.harness.task, `its generated task YAML goes in OUTPUT (${outputDir}), and lm-eval splits --tasks at commas`);
      }
      out.push({ active, lmEvalTaskYaml: wrapsLmEval ? await lmEvalPressureTaskYaml(benchmark as LmEvalInput, active) : null });
    }
  } catch (err) {
    if (err instanceof HarnessPressureError) throw ContractInputError.badFile(specPath, [{ path: 'pressure', message: err.message }]);
    throw err;
  }
  return out;
}

async function runInspect(input: InspectInput, spec: HarnessEvalJobSpec, workDir: string, cacheDir: string, ctx: RunContext, pressure: ActivePressure | null): Promise<HarnessScores> {
  const logDir = join(workDir, 'logs');
  const modelConfigFile = join(workDir, 'model-args.json');
  await writeFile(modelConfigFile, `${JSON.stringify(inspectModelArgs(spec), null, 2)}\n`);
  const pressureTaskConfigFile = join(workDir, 'pressure-task-args.json');
  if (pressure?.kind === 'prompt-wrapper') await writeFile(pressureTaskConfigFile, `${JSON.stringify(inspectPressureTaskArgs(input, pressure), null, 2)}\n`);
  const command = inspectCommand(input, spec, { logDir, modelConfigFile, registeredTaskCwd: cacheDir, pressureTaskConfigFile }, pressure);
  const exit = await runCommand('inspect', command, ctx);
  let scores: HarnessScores;
  try {
    scores = await readInspectLogDir(logDir, input.harness.scorer === undefined ? {} : { scorer: input.harness.scorer });
  } catch (err) {
    // A log that says why the run failed is the harness's own word (inspect exits 0 after an eval error,
    // and writes such a log); only when there is no log at all does the exit speak for the run.
    if (exit !== null && err instanceof HarnessRunError && err.failure === 'missing-output') throw exit;
    throw err;
  }
  if (exit !== null) throw exit;
  return scores;
}

async function runLmEval(input: LmEvalInput, spec: HarnessEvalJobSpec, workDir: string, cacheDir: string, ctx: RunContext, pressure: BenchmarkPressure): Promise<HarnessScores> {
  const outputPath = join(workDir, 'output');
  // lm-eval reads a task YAML given as --tasks by its path; the name ends in .yaml so that it does.
  const pressureTaskFile = join(workDir, 'pressure-task.yaml');
  if (pressure.lmEvalTaskYaml !== null) await writeFile(pressureTaskFile, pressure.lmEvalTaskYaml);
  const command = lmEvalCommand(input, spec, { outputPath, registeredTaskCwd: cacheDir, pressureTaskFile }, pressure.active);
  const exit = await runCommand('lm-eval', command, ctx);
  if (exit !== null) throw exit;
  return await readLmEvalOutput(outputPath, { task: input.harness.task, metricKey: input.harness.metricKey, filter: input.harness.filter });
}

/** Runs the harness; returns the failure (not thrown) when it did not exit 0, so the caller can prefer a log's own. */
async function runCommand(kind: HarnessKindName, command: HarnessCommand, ctx: RunContext): Promise<HarnessRunError | null> {
  ctx.log(`${ctx.prefix} $ ${command.argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}   (in ${command.cwd})`);
  let result;
  try {
    result = await runHarnessProcess(command, { env: ctx.env, prefix: ctx.prefix, write: ctx.log });
  } catch (err) {
    return HarnessRunError.exited(kind, `could not be started with ${command.argv[0]}`, (err as Error).message);
  }
  if (result.exit.kind === 'exited' && result.exit.code === 0) return null;
  const how = result.exit.kind === 'exited' ? `exited with code ${result.exit.code}` : `was killed by ${result.exit.signal}`;
  return HarnessRunError.exited(kind, how, failureMessage(result.tail));
}

function parseRef(ref: string, index: number, specPath: string): { id: string; version: number } {
  const match = /^([a-z0-9][a-z0-9-]{0,62})@([1-9][0-9]*)$/.exec(ref);
  if (!match) {
    throw ContractInputError.badFile(specPath, [{ path: `benchmarks.${index}.ref`, message: `must be 'id@version' (got '${ref}')` }]);
  }
  return { id: match[1]!, version: Number(match[2]) };
}

/** What the harnesses need of the spec's paths, checked before anything runs. */
async function checkInputs(spec: HarnessEvalJobSpec, specPath: string): Promise<void> {
  const issues: { path: string; message: string }[] = [];
  if (!(await isDirectory(spec.checkpointPath))) issues.push({ path: 'checkpointPath', message: `is not a directory: ${spec.checkpointPath}` });
  // lm-eval splits --model_args at commas; the path would arrive cut in two.
  if (spec.checkpointPath.includes(',') && spec.benchmarks.some((b) => b.harness.kind === 'lm-eval')) {
    issues.push({ path: 'checkpointPath', message: 'must not contain a comma for lm-eval benchmarks' });
  }
  for (const [i, b] of spec.benchmarks.entries()) {
    if (b.harness.kind === 'lm-eval' && b.harness.includePath !== undefined && !(await isDirectory(b.harness.includePath))) {
      issues.push({ path: `benchmarks.${i}.harness.includePath`, message: `is not a directory: ${b.harness.includePath}` });
    }
  }
  if (issues.length > 0) throw ContractInputError.badFile(specPath, issues);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
