import { basename, dirname } from 'node:path';
import { z } from 'zod';
import { FrameworkRenderError } from '../errors.js';
import { parseOrThrow, parseTrainingSpec, type TrainingSpec, type TrainingSpecInput } from '../spec.js';
import { checkDatasetFormat } from './common.js';
import { formatInt, toYaml, type YamlMap } from './format.js';
import { assembleLaunch, type RenderedLaunch } from './launch.js';

export const TrlRenderOptions = z.strictObject({
  /**
   * Multi-node only: accelerate runs one launcher per node, each with its own rank, so each node gets
   * its own render. Refused for a single node.
   */
  rendezvous: z
    .strictObject({
      machineRank: z.number().int().min(0),
      mainProcessIp: z.string().min(1).regex(/^[A-Za-z0-9.:-]+$/, 'must be a host name or IP address'),
      mainProcessPort: z.number().int().min(1).max(65_535),
    })
    .optional(),
});
export type TrlRenderOptions = z.infer<typeof TrlRenderOptions>;

/** The config file the launch reads, relative to the job directory (the launch's working directory). */
export const TRL_CONFIG_FILE = 'trl-grpo.yaml';

/**
 * Renders `accelerate launch ... -m trl.scripts.grpo --config trl-grpo.yaml` and that YAML config.
 * Run it with the job directory as working directory, after writing the files there. TRL's output
 * dir is `output_dir`, so checkpoints land in `<outputDir>/checkpoint-N/`.
 */
export function renderTrl(input: TrainingSpecInput, options: TrlRenderOptions = {}): RenderedLaunch {
  const spec = parseTrainingSpec(input);
  const opts = parseOrThrow(TrlRenderOptions, options, 'TRL render options', ['options']);
  if (spec.algorithm !== 'grpo') throw FrameworkRenderError.algorithmUnsupported('trl', spec.algorithm, ['grpo']);
  checkDatasetFormat('trl', spec);
  const reward = checkRenderable(spec, opts);

  const argv = accelerateLaunchArgv({ python: spec.python, nodes: spec.nodes, processes: processCount(spec), cpu: spec.gpusPerNode === 0, rendezvous: opts.rendezvous });
  argv.push('-m', 'trl.scripts.grpo', '--config', TRL_CONFIG_FILE);

  // TRL imports a dotted reward path; the reward file's directory goes on PYTHONPATH so `<file>.<name>` resolves.
  const env = { PYTHONPATH: dirname(reward.path) };
  return assembleLaunch(argv, env, [{ relativePath: TRL_CONFIG_FILE, contents: toYaml(grpoConfig(spec, reward.module), CONFIG_HEADER) }]);
}

/**
 * The arguments that make a rendered TRL launch resume from a native checkpoint through TRL's own resume
 * (`resume_from_checkpoint`: weights, optimizer, scheduler, RNG and the global step), appended to the argv.
 */
export function trlResumeArgs(nativeCheckpointDir: string): string[] {
  return ['--resume_from_checkpoint', nativeCheckpointDir];
}

/**
 * `python -m accelerate.commands.launch …` up to the module to run: the launcher every TRL script
 * (GRPO, SFT) starts under. On CPU accelerate's own defaults (and TRL's bundled configs) ask for bf16
 * and GPUs, so CPU is said explicitly.
 */
export function accelerateLaunchArgv(input: {
  readonly python: string | undefined;
  readonly nodes: number;
  readonly processes: number;
  readonly cpu: boolean;
  readonly rendezvous?: TrlRenderOptions['rendezvous'];
}): string[] {
  const { nodes, processes, cpu, rendezvous } = input;
  const argv = [input.python ?? 'python3', '-m', 'accelerate.commands.launch', '--num_machines', formatInt(nodes), '--num_processes', formatInt(processes)];
  if (cpu) argv.push('--cpu', '--mixed_precision', 'no');
  if (processes > 1 && !cpu) argv.push('--multi_gpu');
  if (rendezvous !== undefined) {
    argv.push(
      '--machine_rank',
      formatInt(rendezvous.machineRank),
      '--main_process_ip',
      rendezvous.mainProcessIp,
      '--main_process_port',
      formatInt(rendezvous.mainProcessPort),
    );
  }
  return argv;
}

/** Processes per run: one per GPU, or one per node on CPU. */
function processCount(spec: TrainingSpec): number {
  return spec.nodes * Math.max(spec.gpusPerNode, 1);
}

const CONFIG_HEADER = 'Rendered by @ballast/frameworks from a training spec; re-render instead of editing.';

/** GRPOConfig keys the adapter sets itself, or that belong to Ballast (retention, resume): refused in `options`. */
const RESERVED_OPTIONS = new Set([
  'model_name_or_path',
  'output_dir',
  'max_steps',
  'save_strategy',
  'save_steps',
  'seed',
  'datasets',
  'reward_funcs',
  'num_generations',
  'per_device_train_batch_size',
  'gradient_accumulation_steps',
  'learning_rate',
  'beta',
  'max_completion_length',
  // The runner numbers TRL's logged steps; logging every step is what makes that count the global step.
  'logging_steps',
  'use_cpu',
  'save_total_limit',
  'resume_from_checkpoint',
  'overwrite_output_dir',
]);

function grpoConfig(spec: TrainingSpec, rewardFunc: string): YamlMap {
  const groupSize = spec.groupSize!;
  const cpu = spec.gpusPerNode === 0;
  const config: Record<string, YamlMap[string]> = {
    model_name_or_path: spec.modelPath,
    output_dir: spec.outputDir,
    max_steps: spec.steps,
    save_strategy: 'steps',
    save_steps: spec.saveEvery,
    seed: spec.seed,
    datasets: [{ path: 'json', data_files: spec.dataset.paths, split: 'train' }],
    reward_funcs: [rewardFunc],
    num_generations: groupSize,
    // One generation batch per optimizer step, holding batchSize prompts × groupSize completions.
    per_device_train_batch_size: spec.batchSize === undefined ? undefined : (spec.batchSize * groupSize) / processCount(spec),
    gradient_accumulation_steps: spec.batchSize === undefined ? undefined : 1,
    learning_rate: spec.learningRate === undefined ? undefined : { float: spec.learningRate },
    beta: spec.klCoef === undefined ? undefined : { float: spec.klCoef },
    max_completion_length: spec.maxResponseLength,
    // TRL's defaults assume a GPU: bf16 and gradient checkpointing on (ML-ON-CPU.md).
    use_cpu: cpu ? true : undefined,
    bf16: cpu ? false : undefined,
    gradient_checkpointing: cpu ? false : undefined,
    logging_steps: 1,
    report_to: 'none',
  };
  for (const [key, value] of Object.entries(spec.options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    config[key] = typeof value === 'number' && !Number.isInteger(value) ? { float: value } : value;
  }
  return config;
}

function checkRenderable(spec: TrainingSpec, opts: TrlRenderOptions): { path: string; module: string } {
  if (spec.nodes > 1 && opts.rendezvous === undefined) {
    throw FrameworkRenderError.optionRequired('trl', 'options.rendezvous', 'a multi-node accelerate launch needs this node\'s rank and the main process address');
  }
  if (spec.nodes === 1 && opts.rendezvous !== undefined) {
    throw FrameworkRenderError.optionUnsupported('trl', 'options.rendezvous', 'only a multi-node run has a rendezvous');
  }
  if (opts.rendezvous !== undefined && opts.rendezvous.machineRank >= spec.nodes) {
    throw FrameworkRenderError.valueNotRenderable('trl', 'options.rendezvous.machineRank', `must be below nodes (${spec.nodes})`);
  }
  if (spec.maxPromptLength !== undefined) {
    throw FrameworkRenderError.optionUnsupported(
      'trl',
      'maxPromptLength',
      'the GRPOConfig this adapter targets has no prompt length limit; filter long prompts when mixing',
    );
  }
  for (const key of Object.keys(spec.options)) {
    if (RESERVED_OPTIONS.has(key)) {
      throw FrameworkRenderError.optionUnsupported('trl', `options.${key}`, 'the adapter sets this itself (use the neutral trainer field), or it belongs to Ballast (checkpoint retention and resume)');
    }
    if (key.includes('.')) {
      throw FrameworkRenderError.valueNotRenderable('trl', `options.${key}`, 'GRPOConfig keys are plain names');
    }
  }
  if (spec.batchSize !== undefined) {
    const completions = spec.batchSize * spec.groupSize!;
    const processes = processCount(spec);
    if (completions % processes !== 0) {
      throw FrameworkRenderError.valueNotRenderable(
        'trl',
        'batchSize',
        `batchSize × groupSize (${completions} completions) must divide evenly over ${processes} processes`,
      );
    }
  }
  if (spec.reward === undefined) {
    throw FrameworkRenderError.optionRequired('trl', 'reward', 'TRL GRPO needs a reward function');
  }
  const file = basename(spec.reward.path, '.py');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(file)) {
    throw FrameworkRenderError.valueNotRenderable('trl', 'reward.path', `TRL imports the reward as a module, so the file name '${file}' must be a Python identifier`);
  }
  if (dirname(spec.reward.path).includes(':')) {
    throw FrameworkRenderError.valueNotRenderable('trl', 'reward.path', "its directory goes on PYTHONPATH, where ':' separates entries");
  }
  return { path: spec.reward.path, module: `${file}.${spec.reward.name}` };
}
