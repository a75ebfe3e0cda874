import { join } from 'node:path';
import { z } from 'zod';
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

// Inside a quoted Hydra value a quote or backslash would end or escape it, and OmegaConf still
// resolves `${...}` interpolations there.
const HYDRA_UNSAFE = ["'", '\\', '${'];
const HYDRA_WHY = 'Hydra would read it as quoting or an interpolation';

/**
 * Renders `python3 -m verl.trainer.main_ppo key=value ...` (Hydra overrides). The output dir is
 * `trainer.default_local_dir`, so checkpoints land in `<outputDir>/global_step_N/`.
 */
export function renderVerl(input: TrainingSpecInput, options: VerlRenderOptions = {}): RenderedLaunch {
  const spec = parseTrainingSpec(input);
  const opts = parseOrThrow(VerlRenderOptions, options, 'verl render options', ['options']);
  checkDatasetFormat('verl', spec);
  checkHydraSafe(spec);

  const o: string[] = [];
  const set = (key: string, value: string) => o.push(`${key}=${value}`);

  set('algorithm.adv_estimator', spec.algorithm === 'grpo' ? 'grpo' : 'gae');
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
  // Token-budget micro-batching, so no per-GPU micro-batch size has to be guessed.
  set('actor_rollout_ref.actor.use_dynamic_bsz', 'True');
  if (spec.algorithm === 'grpo') {
    // GRPO puts the KL term in the loss; a coefficient of 0 switches it off.
    set('actor_rollout_ref.actor.use_kl_loss', spec.klCoef === 0 ? 'False' : 'True');
    if (spec.klCoef !== undefined && spec.klCoef > 0) set('actor_rollout_ref.actor.kl_loss_coef', formatFloat(spec.klCoef));
  }
  if (spec.groupSize !== undefined) set('actor_rollout_ref.rollout.n', formatInt(spec.groupSize));

  if (spec.algorithm === 'ppo') {
    set('critic.model.path', hydraString(spec.modelPath));
    // PPO puts the KL term in the reward.
    if (spec.klCoef !== undefined && spec.klCoef > 0) {
      set('algorithm.use_kl_in_reward', 'True');
      set('algorithm.kl_ctrl.kl_coef', formatFloat(spec.klCoef));
    }
  }
  if (spec.reward !== undefined) {
    set('custom_reward_function.path', hydraString(spec.reward.path));
    set('custom_reward_function.name', hydraString(spec.reward.name));
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

  const env: Record<string, string> = { VERL_FILE_LOGGER_PATH: join(spec.outputDir, VERL_METRICS_FILE) };
  if (opts.rayAddress !== undefined) env.RAY_ADDRESS = opts.rayAddress;
  return assembleLaunch(['python3', '-m', 'verl.trainer.main_ppo', ...o], env);
}

function checkHydraSafe(spec: TrainingSpec): void {
  forbidChars('verl', 'modelPath', spec.modelPath, HYDRA_UNSAFE, HYDRA_WHY);
  forbidChars('verl', 'outputDir', spec.outputDir, HYDRA_UNSAFE, HYDRA_WHY);
  spec.dataset.paths.forEach((p, i) => forbidChars('verl', `dataset.paths.${i}`, p, HYDRA_UNSAFE, HYDRA_WHY));
  if (spec.reward !== undefined) forbidChars('verl', 'reward.path', spec.reward.path, HYDRA_UNSAFE, HYDRA_WHY);
}
