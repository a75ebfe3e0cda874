import { join } from 'node:path';
import { z } from 'zod';
import type { FrameworkOptions, TrainingAlgorithm } from '@ballast/schema';
import { FrameworkRenderError, FrameworkVersionError } from '../errors.js';
import { parseOrThrow, parseTrainingSpec, type TrainingSpec, type TrainingSpecInput } from '../spec.js';
import { compareVersions, parseReleaseVersion, type ReleaseVersion } from '../version.js';
import { checkDatasetFormat, checkpointCount, forbidChars } from './common.js';
import { formatFloat, formatInt } from './format.js';
import { assembleLaunch, type RenderedLaunch } from './launch.js';

export const OpenRlhfRenderOptions = z.strictObject({
  /** The installed OpenRLHF release, e.g. `0.10.2`; it picks the flag dialect. */
  version: z.string().min(1, 'give the installed OpenRLHF version, e.g. 0.10.2'),
  /** The Ray cluster to join, passed as RAY_ADDRESS; multi-node runs need one spanning every node. */
  rayAddress: z.string().min(1).optional(),
});
export type OpenRlhfRenderOptions = z.infer<typeof OpenRlhfRenderOptions>;

/**
 * `legacy`: underscore flags (`--pretrain`), 0.9.8 to 0.10.1. `dotted`: grouped flags
 * (`--actor.model_name_or_path`), from 0.10.2. Both ends of each range are checked against the
 * release wheels (release-check/). Releases before 0.9.8 take a prompt length and a generation length
 * (`--prompt_max_len`, `--generate_max_len`) where later ones take a total `--max_len` and
 * `--max_new_tokens`, and before 0.9.2 `--bf16` where later ones default `--param_dtype` to bf16.
 */
export const OPENRLHF_DIALECTS = ['legacy', 'dotted'] as const;
export type OpenRlhfDialect = (typeof OPENRLHF_DIALECTS)[number];

export const OPENRLHF_SUPPORTED_RANGES: readonly string[] = ['>=0.9.8 <=0.10.1 (legacy flags)', '>=0.10.2 (dotted flags)'];
const FIRST_LEGACY: ReleaseVersion = { major: 0, minor: 9, patch: 8 };
const FIRST_DOTTED: ReleaseVersion = { major: 0, minor: 10, patch: 2 };

/**
 * Under the output dir: DeepSpeed checkpoints (`ckpt/_actor/global_stepN/`), their Hugging Face copies
 * (`ckpt/global_stepN_hf/`, written after the DeepSpeed tag) and the final HF model.
 */
export const OPENRLHF_LAYOUT = { ckptDir: 'ckpt', actorDir: '_actor', hfSuffix: '_hf', finalDir: 'final' } as const;

/** OpenRLHF's advantage estimator per algorithm; `reinforce` is its REINFORCE++ (its README's name for it). */
export const OPENRLHF_ADV_ESTIMATORS: Readonly<Record<TrainingAlgorithm, string>> = {
  grpo: 'group_norm',
  ppo: 'gae',
  reinforce: 'reinforce',
};

/**
 * The flags the adapter renders, per dialect. Neither dialect has a prompt length of its own, only
 * a total length (prompt + response) and a response length. `promptProbs` is listed for
 * completeness: a Ballast mix is already mixed, so shards are concatenated (OpenRLHF concatenates
 * files when no probabilities are given) and it is never rendered. `loadCheckpoint` is rendered by
 * openRlhfResumeArgs only.
 */
export const OPENRLHF_FLAGS = {
  pretrain: ['--pretrain', '--actor.model_name_or_path'],
  criticPretrain: ['--critic_pretrain', '--critic.model_name_or_path'],
  rewardFunction: ['--remote_rm_url', '--reward.remote_url'],
  promptData: ['--prompt_data', '--data.prompt_dataset'],
  promptProbs: ['--prompt_data_probs', '--data.prompt_probs'],
  inputKey: ['--input_key', '--data.input_key'],
  labelKey: ['--label_key', '--data.label_key'],
  applyChatTemplate: ['--apply_chat_template', '--data.apply_chat_template'],
  maxSamples: ['--max_samples', '--data.max_samples'],
  numEpisodes: ['--num_episodes', '--train.num_episodes'],
  rolloutBatchSize: ['--rollout_batch_size', '--rollout.batch_size'],
  samplesPerPrompt: ['--n_samples_per_prompt', '--rollout.n_samples_per_prompt'],
  trainBatchSize: ['--train_batch_size', '--train.batch_size'],
  maxEpochs: ['--max_epochs', '--train.max_epochs'],
  maxNewTokens: ['--max_new_tokens', '--rollout.max_new_tokens'],
  totalMaxLen: ['--max_len', '--data.max_len'],
  advantageEstimator: ['--advantage_estimator', '--algo.advantage.estimator'],
  initKlCoef: ['--init_kl_coef', '--algo.kl.init_coef'],
  useKlLoss: ['--use_kl_loss', '--algo.kl.use_loss'],
  klEstimator: ['--kl_estimator', '--algo.kl.estimator'],
  actorLearningRate: ['--actor_learning_rate', '--actor.adam.lr'],
  seed: ['--seed', '--train.seed'],
  actorNumNodes: ['--actor_num_nodes', '--actor.num_nodes'],
  actorGpusPerNode: ['--actor_num_gpus_per_node', '--actor.num_gpus_per_node'],
  refNumNodes: ['--ref_num_nodes', '--ref.num_nodes'],
  refGpusPerNode: ['--ref_num_gpus_per_node', '--ref.num_gpus_per_node'],
  criticNumNodes: ['--critic_num_nodes', '--critic.num_nodes'],
  criticGpusPerNode: ['--critic_num_gpus_per_node', '--critic.num_gpus_per_node'],
  vllmNumEngines: ['--vllm_num_engines', '--vllm.num_engines'],
  vllmTensorParallelSize: ['--vllm_tensor_parallel_size', '--vllm.tensor_parallel_size'],
  colocateAll: ['--colocate_all_models', '--train.colocate_all'],
  vllmSleep: ['--vllm_enable_sleep', '--vllm.enable_sleep'],
  deepspeedSleep: ['--deepspeed_enable_sleep', '--ds.enable_sleep'],
  savePath: ['--save_path', '--ckpt.output_dir'],
  ckptPath: ['--ckpt_path', '--ckpt.path'],
  saveSteps: ['--save_steps', '--ckpt.save_steps'],
  maxCkptNum: ['--max_ckpt_num', '--ckpt.max_num'],
  saveHf: ['--save_hf_ckpt', '--ckpt.save_hf'],
  loadCheckpoint: ['--load_checkpoint', '--ckpt.load_enable'],
} as const satisfies Record<string, readonly [string, string]>;
export type OpenRlhfFlag = keyof typeof OPENRLHF_FLAGS;

/**
 * Flags `options` may not set besides those the adapter renders: checkpoint rotation (by count or by
 * size) would delete checkpoints before their evaluation is recorded, and resume, the DeepSpeed
 * checkpoints and their HF copies are how Ballast resumes, completes and evaluates checkpoints.
 */
export const OPENRLHF_BALLAST_OWNED_FLAGS: readonly (readonly [string, string])[] = [
  ['--max_ckpt_num', '--ckpt.max_num'],
  ['--max_ckpt_mem', '--ckpt.max_mem'],
  ['--load_checkpoint', '--ckpt.load_enable'],
  ['--save_hf_ckpt', '--ckpt.save_hf'],
  ['--disable_ds_ckpt', '--ckpt.disable_ds'],
];

/** Which flag dialect `version` speaks; releases before 0.9.8 are refused. */
export function openRlhfDialect(version: string): OpenRlhfDialect {
  const v = parseReleaseVersion(version);
  if (v === null) throw FrameworkVersionError.invalid('openrlhf', version, OPENRLHF_SUPPORTED_RANGES);
  if (compareVersions(v, FIRST_DOTTED) >= 0) return 'dotted';
  if (compareVersions(v, FIRST_LEGACY) >= 0) return 'legacy';
  throw FrameworkVersionError.unsupported(
    'openrlhf',
    version,
    OPENRLHF_SUPPORTED_RANGES,
    'releases before 0.9.8 take separate prompt and generation lengths (and before 0.9.2 --bf16); the adapter renders the flags of 0.9.8 and later',
  );
}

function flagOf(name: OpenRlhfFlag, dialect: OpenRlhfDialect): string {
  return OPENRLHF_FLAGS[name][dialect === 'legacy' ? 0 : 1];
}

/** Where OpenRLHF keeps the actor's DeepSpeed checkpoints for a run rendered with this output dir. */
export function openRlhfActorCheckpointDir(outputDir: string): string {
  return join(outputDir, OPENRLHF_LAYOUT.ckptDir, OPENRLHF_LAYOUT.actorDir);
}

/**
 * Where OpenRLHF writes the Hugging Face copy of the actor at `step` (`--save_hf_ckpt` /
 * `--ckpt.save_hf`): `<outputDir>/ckpt/global_stepN_hf/`. It is written after the DeepSpeed tag and
 * its `latest` file, so `latest` naming the tag does not yet mean the copy is complete.
 */
export function openRlhfHfCheckpointDir(outputDir: string, step: number): string {
  return join(outputDir, OPENRLHF_LAYOUT.ckptDir, `global_step${step}${OPENRLHF_LAYOUT.hfSuffix}`);
}

/**
 * The flag that makes a rendered OpenRLHF launch resume, in the dialect of `version`: OpenRLHF then
 * loads the checkpoint DeepSpeed's `<outputDir>/ckpt/_actor/latest` names (the newest it finished),
 * with its optimizer, global step and data position. Append it to the argv.
 */
export function openRlhfResumeArgs(version: string): string[] {
  return [flagOf('loadCheckpoint', openRlhfDialect(version))];
}

/** The only function name OpenRLHF looks up in a reward file. */
export const OPENRLHF_REWARD_FUNCTION = 'reward_func';

/**
 * Renders `<python> -m openrlhf.cli.train_ppo_ray ...` in the dialect of `options.version`, `options`
 * last. Run it on a node of the Ray cluster (or with `ray job submit -- <argv>`). All models are
 * colocated on the run's GPUs, with one vLLM engine per GPU.
 */
export function renderOpenRlhf(input: TrainingSpecInput, options: OpenRlhfRenderOptions): RenderedLaunch {
  const spec = parseTrainingSpec(input);
  const opts = parseOrThrow(OpenRlhfRenderOptions, options, 'OpenRLHF render options', ['options']);
  const dialect = openRlhfDialect(opts.version);
  checkDatasetFormat('openrlhf', spec);
  const { reward, batchSize } = checkRenderable(spec);

  const argv: string[] = [spec.python ?? 'python3', '-m', 'openrlhf.cli.train_ppo_ray'];
  const flag = (name: OpenRlhfFlag, value?: string) => {
    argv.push(flagOf(name, dialect));
    if (value !== undefined) argv.push(value);
  };
  const samplesPerPrompt = spec.groupSize ?? 1;
  const gpus = spec.nodes * spec.gpusPerNode;

  flag('pretrain', spec.modelPath);
  if (spec.algorithm === 'ppo') flag('criticPretrain', spec.modelPath);
  flag('rewardFunction', reward.path);
  flag('promptData', spec.dataset.paths[0]!);
  // The columns the mixing package writes for OpenRLHF: {input, label, datasource, id}.
  flag('inputKey', 'input');
  flag('labelKey', 'label');
  flag('applyChatTemplate');
  // OpenRLHF has no step limit: one episode over exactly steps × batchSize prompts gives `steps` steps.
  flag('maxSamples', formatInt(spec.steps * batchSize));
  flag('numEpisodes', '1');
  flag('rolloutBatchSize', formatInt(batchSize));
  if (spec.groupSize !== undefined) flag('samplesPerPrompt', formatInt(spec.groupSize));
  // One policy update per step, as in the other adapters.
  flag('trainBatchSize', formatInt(batchSize * samplesPerPrompt));
  flag('maxEpochs', '1');
  if (spec.maxResponseLength !== undefined) flag('maxNewTokens', formatInt(spec.maxResponseLength));
  if (spec.maxPromptLength !== undefined && spec.maxResponseLength !== undefined) {
    flag('totalMaxLen', formatInt(spec.maxPromptLength + spec.maxResponseLength));
  }
  flag('advantageEstimator', OPENRLHF_ADV_ESTIMATORS[spec.algorithm]);
  // PPO and REINFORCE++ put the KL term in the reward, with this coefficient.
  if (spec.klCoef !== undefined) flag('initKlCoef', formatFloat(spec.klCoef));
  if (spec.algorithm === 'grpo' && spec.klCoef !== 0) {
    // GRPO's KL term goes into the loss, with the k3 estimator.
    flag('useKlLoss');
    flag('klEstimator', 'k3');
  }
  if (spec.learningRate !== undefined) flag('actorLearningRate', formatFloat(spec.learningRate));
  flag('seed', formatInt(spec.seed));

  flag('actorNumNodes', formatInt(spec.nodes));
  flag('actorGpusPerNode', formatInt(spec.gpusPerNode));
  flag('refNumNodes', formatInt(spec.nodes));
  flag('refGpusPerNode', formatInt(spec.gpusPerNode));
  if (spec.algorithm === 'ppo') {
    flag('criticNumNodes', formatInt(spec.nodes));
    flag('criticGpusPerNode', formatInt(spec.gpusPerNode));
  }
  flag('vllmNumEngines', formatInt(gpus));
  flag('vllmTensorParallelSize', '1');
  flag('colocateAll');
  flag('vllmSleep');
  flag('deepspeedSleep');

  flag('savePath', join(spec.outputDir, OPENRLHF_LAYOUT.finalDir));
  flag('ckptPath', join(spec.outputDir, OPENRLHF_LAYOUT.ckptDir));
  flag('saveSteps', formatInt(spec.saveEvery));
  // OpenRLHF rotates away all but the newest few checkpoints by default; keep every one this run writes.
  flag('maxCkptNum', formatInt(checkpointCount(spec)));
  // Evaluation reads Hugging Face directories: a copy beside each DeepSpeed checkpoint.
  flag('saveHf');
  for (const [key, value] of Object.entries(spec.options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    argv.push(`--${key}`);
    if (value !== true) argv.push(optionValue(value));
  }

  const env: Record<string, string> = {};
  if (opts.rayAddress !== undefined) env.RAY_ADDRESS = opts.rayAddress;
  return assembleLaunch(argv, env);
}

function optionValue(value: FrameworkOptions[string]): string {
  if (typeof value === 'number') return Number.isInteger(value) ? formatInt(value) : formatFloat(value);
  return String(value);
}

/** Every spelling of a flag the adapter renders or Ballast owns, without the dashes. */
const RESERVED_OPTION_KEYS: ReadonlySet<string> = new Set(
  [...Object.values(OPENRLHF_FLAGS), ...OPENRLHF_BALLAST_OWNED_FLAGS].flatMap((names) => names.map((n) => n.slice(2))),
);

function checkOptions(options: FrameworkOptions): void {
  for (const [key, value] of Object.entries(options)) {
    const field = `options.${key}`;
    // argparse also takes a unique prefix of a flag, so `ckpt.max_n` would reach --ckpt.max_num.
    const reserved = [...RESERVED_OPTION_KEYS].find((r) => r.startsWith(key));
    if (reserved !== undefined) {
      throw FrameworkRenderError.optionUnsupported(
        'openrlhf',
        field,
        `--${reserved} is set by the adapter from the neutral trainer fields, or belongs to Ballast (checkpoint retention, resume and HF copies)${reserved === key ? '' : `, and argparse would read --${key} as an abbreviation of it`}`,
      );
    }
    if (value === false) {
      throw FrameworkRenderError.valueNotRenderable(
        'openrlhf',
        field,
        "OpenRLHF's boolean flags are switches that take no value: leave the option out instead of setting it to false",
      );
    }
    if (typeof value === 'string' && value.startsWith('-')) {
      throw FrameworkRenderError.valueNotRenderable('openrlhf', field, `argparse would read ${JSON.stringify(value)} as a flag, not as the value of --${key}`);
    }
  }
}

function checkRenderable(spec: TrainingSpec): { reward: NonNullable<TrainingSpec['reward']>; batchSize: number } {
  if (spec.gpusPerNode === 0) {
    throw FrameworkRenderError.valueNotRenderable(
      'openrlhf',
      'gpusPerNode',
      "OpenRLHF cannot train without GPUs: DeepSpeed, vLLM and its Ray placement all need CUDA; use 'trl' for CPU runs",
    );
  }
  checkOptions(spec.options);
  if (spec.reward === undefined) {
    throw FrameworkRenderError.optionRequired('openrlhf', 'reward', `OpenRLHF scores samples with a '${OPENRLHF_REWARD_FUNCTION}' in a Python file`);
  }
  if (spec.reward.name !== OPENRLHF_REWARD_FUNCTION) {
    throw FrameworkRenderError.optionUnsupported(
      'openrlhf',
      'reward.name',
      `OpenRLHF calls '${OPENRLHF_REWARD_FUNCTION}' in the reward file and cannot be pointed at '${spec.reward.name}'`,
    );
  }
  if (spec.batchSize === undefined) {
    throw FrameworkRenderError.optionRequired('openrlhf', 'batchSize', 'OpenRLHF has no step limit; steps × batchSize prompts bound the run');
  }
  if (spec.dataset.paths.length > 1) {
    throw FrameworkRenderError.optionUnsupported(
      'openrlhf',
      'dataset.paths',
      `OpenRLHF applies its sample limit to each file separately, so ${spec.dataset.paths.length} shards would run past 'steps'; export the mix as one shard`,
    );
  }
  if (spec.maxPromptLength !== undefined && spec.maxResponseLength === undefined) {
    throw FrameworkRenderError.optionUnsupported(
      'openrlhf',
      'maxPromptLength',
      'OpenRLHF >=0.9.8 takes only a total length (prompt + response); give maxResponseLength as well',
    );
  }
  // OpenRLHF splits these values on ',' (lists) and dataset names on '@' (data_dir).
  spec.dataset.paths.forEach((p, i) => forbidChars('openrlhf', `dataset.paths.${i}`, p, [',', '@'], 'OpenRLHF splits dataset names on it'));
  forbidChars('openrlhf', 'reward.path', spec.reward.path, [','], 'OpenRLHF splits the reward URL list on it');
  return { reward: spec.reward, batchSize: spec.batchSize };
}
