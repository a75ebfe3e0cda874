import { basename, join } from 'node:path';
import { z } from 'zod';
import { AbsolutePath, type FrameworkOptions, type TrainingAlgorithm } from '@ballast/schema';
import { FrameworkRenderError } from '../errors.js';
import { parseOrThrow, parseTrainingSpec, type TrainingSpec, type TrainingSpecInput } from '../spec.js';
import { checkDatasetFormat, forbidChars } from './common.js';
import { formatFloat, formatInt, hydraList, hydraString } from './format.js';
import { assembleLaunch, type RenderedLaunch } from './launch.js';

export const VerlRenderOptions = z.strictObject({
  /** The Ray cluster to join, passed as RAY_ADDRESS; multi-node runs need one spanning every node. */
  rayAddress: z.string().min(1).optional(),
});
export type VerlRenderOptions = z.infer<typeof VerlRenderOptions>;

/** verl's JSONL file logger writes `{"step":N,"data":{...}}` lines here (inside the output dir). */
export const VERL_METRICS_FILE = 'metrics.jsonl';

/** verl's advantage estimator per algorithm (`algorithm.adv_estimator`); `reinforce` is REINFORCE++. */
export const VERL_ADV_ESTIMATORS: Readonly<Record<TrainingAlgorithm, string>> = {
  grpo: 'grpo',
  ppo: 'gae',
  reinforce: 'reinforce_plus_plus',
};

/**
 * Settings verl requires or the adapter chooses where the neutral spec has no field: rendered unless
 * `options` names the key, which then replaces them. verl 0.9.1's config leaves the rollout engine
 * mandatory (`???`; its registry has vllm, sglang and trtllm); the adapter picks vLLM.
 */
export const VERL_ADAPTER_DEFAULTS: Readonly<Record<string, string>> = {
  'actor_rollout_ref.rollout.name': 'vllm',
  // Token-budget micro-batching, so no per-GPU micro-batch size has to be guessed.
  'actor_rollout_ref.actor.use_dynamic_bsz': 'True',
};

/**
 * Keys `options` may not set (nor any key inside or above them): the adapter renders them from
 * neutral fields, or they belong to Ballast. Retention and deletion would remove checkpoints before
 * their evaluation is recorded; resume, the checkpoint tracker (async_save skips it) and HDFS loading
 * are how Ballast resumes and completes checkpoints; the training engine decides which converter
 * (verlMergeCommand) turns a checkpoint into a Hugging Face directory.
 */
export const VERL_RESERVED_OPTIONS: readonly string[] = [
  'algorithm.adv_estimator',
  'algorithm.use_kl_in_reward',
  'algorithm.kl_ctrl.kl_coef',
  'data.train_files',
  'data.val_files',
  'data.seed',
  'data.train_batch_size',
  'data.max_prompt_length',
  'data.max_response_length',
  'actor_rollout_ref.model.path',
  'actor_rollout_ref.actor.optim.lr',
  'actor_rollout_ref.actor.ppo_mini_batch_size',
  'actor_rollout_ref.actor.use_kl_loss',
  'actor_rollout_ref.actor.kl_loss_coef',
  'actor_rollout_ref.actor.strategy',
  'actor_rollout_ref.actor.checkpoint.async_save',
  'actor_rollout_ref.rollout.n',
  'critic.model.path',
  'critic.strategy',
  'reward.custom_reward_function',
  'custom_reward_function',
  'model_engine',
  'trainer.default_local_dir',
  'trainer.default_hdfs_dir',
  'trainer.save_freq',
  'trainer.total_training_steps',
  'trainer.total_epochs',
  'trainer.nnodes',
  'trainer.n_gpus_per_node',
  'trainer.logger',
  'trainer.val_before_train',
  'trainer.test_freq',
  'trainer.resume_mode',
  'trainer.resume_from_path',
  'trainer.max_actor_ckpt_to_keep',
  'trainer.max_critic_ckpt_to_keep',
  'trainer.del_local_ckpt_after_load',
];

// Inside a quoted Hydra value a quote or backslash would end or escape it, and OmegaConf still
// resolves `${...}` interpolations there.
const HYDRA_UNSAFE = ["'", '\\', '${'];
const HYDRA_WHY = 'Hydra would read it as quoting or an interpolation';
const HYDRA_KEY = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;

/**
 * Renders `<python> -m verl.trainer.main_ppo key=value ...` (Hydra overrides), `options` last. The
 * output dir is `trainer.default_local_dir`, so checkpoints land in `<outputDir>/global_step_N/`.
 * verl's own auto-resume is switched off: a relaunch resumes only through verlResumeArgs.
 */
export function renderVerl(input: TrainingSpecInput, options: VerlRenderOptions = {}): RenderedLaunch {
  const spec = parseTrainingSpec(input);
  const opts = parseOrThrow(VerlRenderOptions, options, 'verl render options', ['options']);
  checkDatasetFormat('verl', spec);
  checkRenderable(spec);

  const o: string[] = [];
  const set = (key: string, value: string) => o.push(`${key}=${value}`);
  const adapterDefault = (key: string) => {
    if (!(key in spec.options)) set(key, VERL_ADAPTER_DEFAULTS[key]!);
  };

  set('algorithm.adv_estimator', VERL_ADV_ESTIMATORS[spec.algorithm]);
  set('data.train_files', hydraList(spec.dataset.paths));
  // verl always builds a validation set; validation itself is switched off below.
  set('data.val_files', hydraList(spec.dataset.paths));
  set('data.seed', formatInt(spec.seed));
  if (spec.batchSize !== undefined) set('data.train_batch_size', formatInt(spec.batchSize));
  if (spec.maxPromptLength !== undefined) set('data.max_prompt_length', formatInt(spec.maxPromptLength));
  if (spec.maxResponseLength !== undefined) set('data.max_response_length', formatInt(spec.maxResponseLength));

  set('actor_rollout_ref.model.path', hydraString(spec.modelPath));
  if (spec.learningRate !== undefined) set('actor_rollout_ref.actor.optim.lr', formatFloat(spec.learningRate));
  // One policy update per step, as in the other adapters.
  if (spec.batchSize !== undefined) set('actor_rollout_ref.actor.ppo_mini_batch_size', formatInt(spec.batchSize));
  adapterDefault('actor_rollout_ref.actor.use_dynamic_bsz');
  if (spec.algorithm === 'grpo') {
    // GRPO puts the KL term in the loss; a coefficient of 0 switches it off.
    set('actor_rollout_ref.actor.use_kl_loss', spec.klCoef === 0 ? 'False' : 'True');
    if (spec.klCoef !== undefined && spec.klCoef > 0) set('actor_rollout_ref.actor.kl_loss_coef', formatFloat(spec.klCoef));
  }
  adapterDefault('actor_rollout_ref.rollout.name');
  if (spec.groupSize !== undefined) set('actor_rollout_ref.rollout.n', formatInt(spec.groupSize));

  if (spec.algorithm === 'ppo') set('critic.model.path', hydraString(spec.modelPath));
  // PPO and REINFORCE++ put the KL term in the reward.
  if (spec.algorithm !== 'grpo' && spec.klCoef !== undefined && spec.klCoef > 0) {
    set('algorithm.use_kl_in_reward', 'True');
    set('algorithm.kl_ctrl.kl_coef', formatFloat(spec.klCoef));
  }
  if (spec.reward !== undefined) {
    // verl 0.9's trainer reads `reward.custom_reward_function`; the top-level key of older releases
    // is still in its config but only the fully-async entry point migrates it.
    set('reward.custom_reward_function.path', hydraString(spec.reward.path));
    set('reward.custom_reward_function.name', hydraString(spec.reward.name));
  }

  set('trainer.default_local_dir', hydraString(spec.outputDir));
  set('trainer.save_freq', formatInt(spec.saveEvery));
  set('trainer.total_training_steps', formatInt(spec.steps));
  // Every epoch yields at least one step, so `steps` epochs always reach total_training_steps.
  set('trainer.total_epochs', formatInt(spec.steps));
  set('trainer.nnodes', formatInt(spec.nodes));
  set('trainer.n_gpus_per_node', formatInt(spec.gpusPerNode));
  set('trainer.logger', '[console,file]');
  set('trainer.val_before_train', 'False');
  set('trainer.test_freq', '-1');
  set('trainer.resume_mode', 'disable');
  for (const [key, value] of sortedOptions(spec.options)) set(key, hydraValue(key, value));

  const env: Record<string, string> = { VERL_FILE_LOGGER_PATH: join(spec.outputDir, VERL_METRICS_FILE) };
  if (opts.rayAddress !== undefined) env.RAY_ADDRESS = opts.rayAddress;
  return assembleLaunch([spec.python ?? 'python3', '-m', 'verl.trainer.main_ppo', ...o], env);
}

/**
 * The overrides that make a rendered verl launch resume from one of its native checkpoints
 * (`<outputDir>/global_step_N`) through verl's own resume: weights, optimizer, dataloader and the
 * global step, which verl reads from the directory name. Append them to the argv; they replace the
 * render's `trainer.resume_mode=disable` (Hydra applies overrides in order).
 */
export function verlResumeArgs(nativeCheckpointDir: string): string[] {
  const dir = parseOrThrow(AbsolutePath, nativeCheckpointDir, 'verl checkpoint directory', ['nativeCheckpointDir']);
  if (!/^global_step_[0-9]+$/.test(basename(dir)) || dir.endsWith('/')) {
    throw FrameworkRenderError.valueNotRenderable(
      'verl',
      'nativeCheckpointDir',
      `must be a verl checkpoint directory '<outputDir>/global_step_N' (verl reads the step from its name), got ${JSON.stringify(dir)}`,
    );
  }
  forbidChars('verl', 'nativeCheckpointDir', dir, HYDRA_UNSAFE, HYDRA_WHY);
  return ['trainer.resume_mode=resume_path', `trainer.resume_from_path=${hydraString(dir)}`];
}

/** The actor's FSDP checkpoint inside a verl checkpoint directory: what the model merger reads. */
export function verlActorCheckpointDir(nativeCheckpointDir: string): string {
  return join(nativeCheckpointDir, 'actor');
}

export const VerlMergeInput = z.strictObject({
  /** The interpreter of the environment verl is installed in; `python3` on PATH when absent. */
  python: AbsolutePath.optional(),
  /** `<outputDir>/global_step_N/actor` (verlActorCheckpointDir). */
  actorDir: AbsolutePath,
  /** Where the Hugging Face model directory is written. */
  targetDir: AbsolutePath,
});
export type VerlMergeInput = z.infer<typeof VerlMergeInput>;

/**
 * The argv of verl's own model merger, turning an actor checkpoint into a Hugging Face model directory.
 * The backend is FSDP because the adapter keeps verl's default training engine (`model_engine: dp`,
 * actor strategy `fsdp`) and refuses options that change it.
 */
export function verlMergeCommand(input: VerlMergeInput): string[] {
  const { python, actorDir, targetDir } = parseOrThrow(VerlMergeInput, input, 'verl merge input');
  return [python ?? 'python3', '-m', 'verl.model_merger', 'merge', '--backend', 'fsdp', '--local_dir', actorDir, '--target_dir', targetDir];
}

function sortedOptions(options: FrameworkOptions): [string, FrameworkOptions[string]][] {
  return Object.entries(options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** An option value as a Hydra override value: strings quoted (and checked), booleans as True/False. */
function hydraValue(key: string, value: FrameworkOptions[string]): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? formatInt(value) : formatFloat(value);
  forbidChars('verl', `options.${key}`, value, HYDRA_UNSAFE, HYDRA_WHY);
  return hydraString(value);
}

function checkRenderable(spec: TrainingSpec): void {
  if (spec.gpusPerNode === 0) {
    throw FrameworkRenderError.valueNotRenderable(
      'verl',
      'gpusPerNode',
      "verl cannot train without GPUs: its rollout engines (vllm, sglang, trtllm) need them; use 'trl' for CPU runs",
    );
  }
  forbidChars('verl', 'modelPath', spec.modelPath, HYDRA_UNSAFE, HYDRA_WHY);
  forbidChars('verl', 'outputDir', spec.outputDir, HYDRA_UNSAFE, HYDRA_WHY);
  spec.dataset.paths.forEach((p, i) => forbidChars('verl', `dataset.paths.${i}`, p, HYDRA_UNSAFE, HYDRA_WHY));
  if (spec.reward !== undefined) forbidChars('verl', 'reward.path', spec.reward.path, HYDRA_UNSAFE, HYDRA_WHY);
  for (const key of Object.keys(spec.options)) {
    if (!HYDRA_KEY.test(key)) {
      throw FrameworkRenderError.valueNotRenderable('verl', `options.${key}`, 'a Hydra override key is dot-separated names (letters, digits, _ and -)');
    }
    const reserved = VERL_RESERVED_OPTIONS.find((r) => key === r || key.startsWith(`${r}.`) || r.startsWith(`${key}.`));
    if (reserved !== undefined) {
      throw FrameworkRenderError.optionUnsupported(
        'verl',
        `options.${key}`,
        `'${reserved}' is set by the adapter from the neutral trainer fields, or belongs to Ballast (checkpoint retention, resume, completion and conversion)`,
      );
    }
  }
}
