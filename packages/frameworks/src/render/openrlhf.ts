import { join } from 'node:path';
import { z } from 'zod';
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

/** `legacy`: underscore flags (`--pretrain`), up to 0.10.0. `dotted`: grouped flags (`--actor.model_name_or_path`), from 0.10.2. */
export const OPENRLHF_DIALECTS = ['legacy', 'dotted'] as const;
export type OpenRlhfDialect = (typeof OPENRLHF_DIALECTS)[number];

export const OPENRLHF_SUPPORTED_RANGES: readonly string[] = ['<=0.10.0 (legacy flags)', '>=0.10.2 (dotted flags)'];
const LAST_LEGACY: ReleaseVersion = { major: 0, minor: 10, patch: 0 };
const FIRST_DOTTED: ReleaseVersion = { major: 0, minor: 10, patch: 2 };

/** Under the output dir: DeepSpeed checkpoints (`ckpt/_actor/global_stepN/`) and the final HF model. */
export const OPENRLHF_LAYOUT = { ckptDir: 'ckpt', actorDir: '_actor', finalDir: 'final' } as const;

/**
 * The flags the adapter renders, per dialect. `null`: the dialect has no such flag (the dotted
 * dialect's default dtype is already bf16; it has no separate prompt length, only a total `data.max_len`).
 * `promptProbs` is listed for completeness: a Ballast mix is already mixed, so shards are concatenated
 * (OpenRLHF concatenates files when no probabilities are given) and it is never rendered.
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
  promptMaxLen: ['--prompt_max_len', null],
  generateMaxLen: ['--generate_max_len', '--rollout.max_new_tokens'],
  totalMaxLen: [null, '--data.max_len'],
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
  bf16: ['--bf16', null],
  savePath: ['--save_path', '--ckpt.output_dir'],
  ckptPath: ['--ckpt_path', '--ckpt.path'],
  saveSteps: ['--save_steps', '--ckpt.save_steps'],
  maxCkptNum: ['--max_ckpt_num', '--ckpt.max_num'],
} as const satisfies Record<string, readonly [string | null, string | null]>;
export type OpenRlhfFlag = keyof typeof OPENRLHF_FLAGS;

/** Which flag dialect `version` speaks; 0.10.1 sits between the two and is refused. */
export function openRlhfDialect(version: string): OpenRlhfDialect {
  const v = parseReleaseVersion(version);
  if (v === null) throw FrameworkVersionError.invalid('openrlhf', version, OPENRLHF_SUPPORTED_RANGES);
  if (compareVersions(v, LAST_LEGACY) <= 0) return 'legacy';
  if (compareVersions(v, FIRST_DOTTED) >= 0) return 'dotted';
  throw FrameworkVersionError.unsupported(
    'openrlhf',
    version,
    OPENRLHF_SUPPORTED_RANGES,
    'the flag rename to the dotted dialect landed between 0.10.0 and 0.10.2, so which flags it takes is ambiguous',
  );
}

/** Where OpenRLHF keeps the actor's DeepSpeed checkpoints for a run rendered with this output dir. */
export function openRlhfActorCheckpointDir(outputDir: string): string {
  return join(outputDir, OPENRLHF_LAYOUT.ckptDir, OPENRLHF_LAYOUT.actorDir);
}

/** The only function name OpenRLHF looks up in a reward file. */
export const OPENRLHF_REWARD_FUNCTION = 'reward_func';

/**
 * Renders `python3 -m openrlhf.cli.train_ppo_ray ...` in the dialect of `options.version`. Run it on
 * a node of the Ray cluster (or with `ray job submit -- <argv>`). All models are colocated on the
 * run's GPUs, with one vLLM engine per GPU.
 */
export function renderOpenRlhf(input: TrainingSpecInput, options: OpenRlhfRenderOptions): RenderedLaunch {
  const spec = parseTrainingSpec(input);
  const opts = parseOrThrow(OpenRlhfRenderOptions, options, 'OpenRLHF render options', ['options']);
  const dialect = openRlhfDialect(opts.version);
  checkDatasetFormat('openrlhf', spec);
  const { reward, batchSize } = checkRenderable(spec, dialect);

  const argv: string[] = ['python3', '-m', 'openrlhf.cli.train_ppo_ray'];
  const flag = (name: OpenRlhfFlag, value?: string) => {
    const f = OPENRLHF_FLAGS[name][dialect === 'legacy' ? 0 : 1];
    if (f === null) return;
    argv.push(f);
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
  if (dialect === 'legacy') {
    if (spec.maxPromptLength !== undefined) flag('promptMaxLen', formatInt(spec.maxPromptLength));
    if (spec.maxResponseLength !== undefined) flag('generateMaxLen', formatInt(spec.maxResponseLength));
  } else {
    if (spec.maxResponseLength !== undefined) flag('generateMaxLen', formatInt(spec.maxResponseLength));
    if (spec.maxPromptLength !== undefined && spec.maxResponseLength !== undefined) {
      flag('totalMaxLen', formatInt(spec.maxPromptLength + spec.maxResponseLength));
    }
  }
  flag('advantageEstimator', spec.algorithm === 'grpo' ? 'group_norm' : 'gae');
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
  flag('bf16');

  flag('savePath', join(spec.outputDir, OPENRLHF_LAYOUT.finalDir));
  flag('ckptPath', join(spec.outputDir, OPENRLHF_LAYOUT.ckptDir));
  flag('saveSteps', formatInt(spec.saveEvery));
  // OpenRLHF rotates away all but the newest few checkpoints by default; keep every one this run writes.
  flag('maxCkptNum', formatInt(checkpointCount(spec)));

  const env: Record<string, string> = {};
  if (opts.rayAddress !== undefined) env.RAY_ADDRESS = opts.rayAddress;
  return assembleLaunch(argv, env);
}

function checkRenderable(spec: TrainingSpec, dialect: OpenRlhfDialect): { reward: NonNullable<TrainingSpec['reward']>; batchSize: number } {
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
  if (dialect === 'dotted' && spec.maxPromptLength !== undefined && spec.maxResponseLength === undefined) {
    throw FrameworkRenderError.optionUnsupported(
      'openrlhf',
      'maxPromptLength',
      'OpenRLHF >=0.10.2 takes only a total length (data.max_len); give maxResponseLength as well',
    );
  }
  // OpenRLHF splits these values on ',' (lists) and dataset names on '@' (data_dir).
  spec.dataset.paths.forEach((p, i) => forbidChars('openrlhf', `dataset.paths.${i}`, p, [',', '@'], 'OpenRLHF splits dataset names on it'));
  forbidChars('openrlhf', 'reward.path', spec.reward.path, [','], 'OpenRLHF splits the reward URL list on it');
  return { reward: spec.reward, batchSize: spec.batchSize };
}
