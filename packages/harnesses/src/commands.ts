import { basename, dirname, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HarnessBenchmarkInput, HarnessEvalJobSpec } from '@ballast/schema';
import { INSPECT_PRESSURE_TASK, INSPECT_PRESSURE_TASK_FILE, lmEvalSystemInstruction, type ActivePressure } from './pressure.js';
import type { HarnessCommand } from './process.js';

export type InspectInput = HarnessBenchmarkInput & { harness: { kind: 'inspect' } };
export type LmEvalInput = HarnessBenchmarkInput & { harness: { kind: 'lm-eval' } };

type RunSettings = Pick<HarnessEvalJobSpec, 'python' | 'checkpointPath' | 'samplesPerItem' | 'seed' | 'limit' | 'decoding' | 'device'>;
type WrapperPressure = ActivePressure & { kind: 'prompt-wrapper' };

/** Where an inspect task lives: a file (run from its directory) or a name registered in the environment. */
export type InspectTaskRef = { readonly kind: 'file'; readonly file: string; readonly name?: string } | { readonly kind: 'registered'; readonly name: string };

/**
 * Reads an inspect task as the job spec gives it: `/abs/task.py`, `/abs/task.py#name`, the same as a
 * `file:///` URI, or a registered name such as `inspect_evals/gsm8k`.
 */
export function inspectTaskRef(task: string): InspectTaskRef {
  const isUri = task.startsWith('file://');
  if (!isUri && !isAbsolute(task)) return { kind: 'registered', name: task };
  const hash = task.indexOf('#');
  const location = hash < 0 ? task : task.slice(0, hash);
  const file = isUri ? fileURLToPath(location) : location;
  return hash < 0 ? { kind: 'file', file } : { kind: 'file', file, name: task.slice(hash + 1) };
}

/**
 * `python -m inspect_ai eval …` for one benchmark. A task file runs from its own directory and is named
 * relative to it (`task.py`, or `task.py@name` to pick one task): inspect 0.3.285 expands a task path as
 * a glob under the working directory, which fails for an absolute path on Python 3.11. Model arguments
 * go in a JSON file (`--model-config`), because `-M` values are split at commas and read as YAML.
 * Temperature 0 means greedy decoding, which the hf provider gets as `do_sample: false`.
 *
 * Under pressure (see pressure.ts): a system message goes to `--system-message` (as `--system-message=…`,
 * so a message that starts with a dash is not read as an option); a prompt wrapper runs the task under
 * the ballast_pressure task, given by absolute path (with `@name` inspect does not glob it), its
 * arguments (`inspectPressureTaskArgs`) in `paths.pressureTaskConfigFile`.
 */
export function inspectCommand(
  input: InspectInput,
  run: RunSettings,
  paths: { readonly logDir: string; readonly modelConfigFile: string; readonly registeredTaskCwd: string; readonly pressureTaskConfigFile?: string },
  pressure: ActivePressure | null = null,
): HarnessCommand {
  const ref = inspectTaskRef(input.harness.task);
  let taskArgs = [ref.kind === 'registered' ? ref.name : `${basename(ref.file)}${ref.name === undefined ? '' : `@${ref.name}`}`];
  if (pressure?.kind === 'prompt-wrapper') {
    if (paths.pressureTaskConfigFile === undefined) throw new Error('a prompt-wrapper pressure needs paths.pressureTaskConfigFile');
    taskArgs = [`${INSPECT_PRESSURE_TASK_FILE}@${INSPECT_PRESSURE_TASK}`, '--task-config', paths.pressureTaskConfigFile];
  }
  const { decoding } = run;
  const argv: [string, ...string[]] = [
    run.python,
    '-m',
    'inspect_ai',
    'eval',
    ...taskArgs,
    '--model',
    'hf/local',
    '--model-config',
    paths.modelConfigFile,
    '--epochs',
    String(run.samplesPerItem),
    '--seed',
    String(run.seed),
    ...(decoding.temperature > 0 ? ['--temperature', String(decoding.temperature)] : []),
    '--max-tokens',
    String(decoding.maxNewTokens),
    ...(decoding.topP === undefined ? [] : ['--top-p', String(decoding.topP)]),
    ...(run.limit === undefined ? [] : ['--limit', String(run.limit)]),
    ...(pressure?.kind === 'system-message' ? [`--system-message=${pressure.systemMessage}`] : []),
    '--log-format',
    'json',
    '--log-dir',
    paths.logDir,
    '--display',
    'plain',
    // No control socket: nothing here queries it, and a socket path under a deep job directory can pass the 108-byte limit.
    '--ctl-server',
    'false',
  ];
  return { argv, cwd: ref.kind === 'file' ? dirname(ref.file) : paths.registeredTaskCwd };
}

/** The arguments of the ballast_pressure task (inspect's `--task-config` file) that wraps one benchmark's task. */
export function inspectPressureTaskArgs(input: InspectInput, pressure: WrapperPressure): Record<string, string> {
  const ref = inspectTaskRef(input.harness.task);
  const target: Record<string, string> = ref.kind === 'registered' ? { registered: ref.name } : { task_file: ref.file };
  if (ref.kind === 'file' && ref.name !== undefined) target['task_name'] = ref.name;
  return { ...target, prompt_wrapper: pressure.promptWrapper, pressure: pressure.ref };
}

/** The hf provider's model arguments for inspect's `--model-config` file. */
export function inspectModelArgs(run: RunSettings): Record<string, unknown> {
  return {
    model_path: run.checkpointPath,
    device: run.device,
    ...(run.decoding.temperature > 0 ? {} : { do_sample: false }),
  };
}

/**
 * lm-eval's command line through Ballast's launcher (python/ballast_lm_eval.py): the same entry point
 * and arguments as `python -m lm_eval`, without indexing lm-eval's whole task registry (some 5 s of CPU
 * a run) when every task asked for is defined under the include path.
 */
export const LM_EVAL_LAUNCHER = fileURLToPath(new URL('../python/ballast_lm_eval.py', import.meta.url));

/**
 * lm-eval's command line (through {@link LM_EVAL_LAUNCHER}) for one benchmark, run in the task's include directory so that a task YAML's
 * relative `dataset_kwargs.data_files` resolve there (the datasets library resolves them against the
 * working directory). lm-eval has no per-run repeats flag and reduces a task's repeats to one value per
 * doc, so samples per item are not passed; `gen_kwargs` only matter for generate_until tasks.
 *
 * Under pressure (see pressure.ts): a system message goes to `--system_instruction=…`; a prompt wrapper
 * runs the task from the generated YAML at `paths.pressureTaskFile` (lmEvalPressureTaskYaml), given as `--tasks`.
 */
export function lmEvalCommand(
  input: LmEvalInput,
  run: RunSettings,
  paths: { readonly outputPath: string; readonly registeredTaskCwd: string; readonly pressureTaskFile?: string },
  pressure: ActivePressure | null = null,
): HarnessCommand {
  let tasks = input.harness.task;
  if (pressure?.kind === 'prompt-wrapper') {
    if (paths.pressureTaskFile === undefined) throw new Error('a prompt-wrapper pressure needs paths.pressureTaskFile');
    tasks = paths.pressureTaskFile;
  }
  const { decoding, device } = run;
  const genKwargs = [
    `temperature=${decoding.temperature}`,
    `do_sample=${decoding.temperature > 0 ? 'True' : 'False'}`,
    `max_gen_toks=${decoding.maxNewTokens}`,
    ...(decoding.topP === undefined ? [] : [`top_p=${decoding.topP}`]),
  ].join(',');
  const argv: [string, ...string[]] = [
    run.python,
    LM_EVAL_LAUNCHER,
    '--model',
    'hf',
    // Half precision on CPU is slow or unsupported; on a GPU the checkpoint's own dtype.
    '--model_args',
    `pretrained=${run.checkpointPath},dtype=${device === 'cpu' ? 'float32' : 'auto'}`,
    '--device',
    device,
    '--tasks',
    tasks,
    ...(input.harness.includePath === undefined ? [] : ['--include_path', input.harness.includePath]),
    '--output_path',
    paths.outputPath,
    '--log_samples',
    '--seed',
    String(run.seed),
    ...(run.limit === undefined ? [] : ['--limit', String(run.limit)]),
    '--gen_kwargs',
    genKwargs,
    ...(pressure?.kind === 'system-message' ? [`--system_instruction=${lmEvalSystemInstruction(pressure.systemMessage)}`] : []),
  ];
  return { argv, cwd: input.harness.includePath ?? paths.registeredTaskCwd };
}
