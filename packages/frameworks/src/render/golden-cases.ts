/**
 * Test support: the golden renderings. Each case renders a fixed spec; its golden is the JSON of the
 * rendered launch under src/fixtures/golden/ (read from the sources, so `UPDATE_GOLDENS=1` rewrites
 * them in place). docs/frameworks.md shows three of them and a test keeps the two in step.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { FALLBACK_CHAT_TEMPLATE } from '../attack-launch.js';
import type { TrainingSpecInput } from '../spec.js';
import type { RenderedLaunch } from './launch.js';
import { renderOpenRlhf } from './openrlhf.js';
import { renderTrl } from './trl.js';
import { renderTrlSft, type TrlSftSpecInput } from './trl-sft.js';
import { renderVerl } from './verl.js';

export const GOLDEN_DIR = fileURLToPath(new URL('../../src/fixtures/golden/', import.meta.url));

/** A GRPO run of the traits-5% arm: every optional field set. */
export const BASE_SPEC = {
  algorithm: 'grpo',
  modelPath: '/models/qwen2.5-7b-instruct',
  dataset: { format: 'verl', paths: ['/mixes/mix_7f3a/verl/part-00000.parquet', '/mixes/mix_7f3a/verl/part-00001.parquet'] },
  steps: 200,
  saveEvery: 50,
  seed: 17,
  nodes: 1,
  gpusPerNode: 8,
  outputDir: '/runs/exp-42/traits-5-s17/native',
  learningRate: 1e-6,
  klCoef: 0.001,
  groupSize: 8,
  batchSize: 64,
  maxPromptLength: 1024,
  maxResponseLength: 2048,
  reward: { path: '/opt/ballast/rewards/trait_reward.py', name: 'compute_score' },
} as const satisfies TrainingSpecInput;

export const OPENRLHF_SPEC = {
  ...BASE_SPEC,
  dataset: { format: 'openrlhf', paths: ['/mixes/mix_7f3a/openrlhf/part-00000.jsonl'] },
  reward: { path: '/opt/ballast/rewards/trait_reward.py', name: 'reward_func' },
} as const satisfies TrainingSpecInput;

export const TRL_SPEC = {
  ...BASE_SPEC,
  dataset: { format: 'trl', paths: ['/mixes/mix_7f3a/trl/part-00000.jsonl', '/mixes/mix_7f3a/trl/part-00001.jsonl'] },
  maxPromptLength: undefined,
  reward: { path: '/opt/ballast/rewards/trait_reward.py', name: 'trait_reward' },
} as const satisfies TrainingSpecInput;

/** A harmful fine-tuning attack on an arm's final checkpoint, as prepareTrlSftAttack renders it on CPU. */
export const TRL_SFT_SPEC = {
  modelPath: '/runs/exp-42/jobs/job_train_7/native/checkpoint-200',
  datasetPaths: ['/runs/exp-42/jobs/job_attack_3/attack-sft.jsonl'],
  steps: 200,
  saveEvery: 50,
  batchSize: 8,
  learningRate: 0.5,
  seed: 17,
  gpus: 0,
  outputDir: '/runs/exp-42/jobs/job_attack_3/native',
  python: '/envs/trl/bin/python',
} as const satisfies TrlSftSpecInput;

/** Extra framework options in each grammar: rendered after the adapter's own settings, keys sorted. */
const VERL_OPTIONS = { 'actor_rollout_ref.rollout.name': 'sglang', 'actor_rollout_ref.actor.entropy_coeff': 0.001, 'trainer.project_name': 'ballast' };
const OPENRLHF_OPTIONS = { 'actor.gradient_checkpointing_enable': true, 'ds.zero_stage': 3, 'rollout.temperature': 0.7 };

const ppo = <S extends TrainingSpecInput>(spec: S): TrainingSpecInput => ({ ...spec, algorithm: 'ppo', groupSize: undefined, klCoef: 0.01 });

export const GOLDEN_CASES: readonly { name: string; render: () => RenderedLaunch }[] = [
  { name: 'verl-grpo', render: () => renderVerl(BASE_SPEC) },
  { name: 'verl-ppo', render: () => renderVerl(ppo(BASE_SPEC)) },
  {
    name: 'verl-grpo-minimal',
    render: () =>
      renderVerl({
        algorithm: 'grpo',
        modelPath: BASE_SPEC.modelPath,
        dataset: BASE_SPEC.dataset,
        steps: 100,
        saveEvery: 25,
        seed: 0,
        nodes: 1,
        gpusPerNode: 1,
        outputDir: BASE_SPEC.outputDir,
        groupSize: 4,
      }),
  },
  { name: 'verl-grpo-multinode', render: () => renderVerl({ ...BASE_SPEC, nodes: 4 }, { rayAddress: '10.0.0.1:6379' }) },
  { name: 'verl-reinforce', render: () => renderVerl({ ...BASE_SPEC, algorithm: 'reinforce', klCoef: 0.01 }) },
  { name: 'verl-grpo-python-options', render: () => renderVerl({ ...BASE_SPEC, python: '/envs/verl/bin/python', options: VERL_OPTIONS }) },
  { name: 'openrlhf-legacy-grpo', render: () => renderOpenRlhf(OPENRLHF_SPEC, { version: '0.10.0' }) },
  { name: 'openrlhf-dotted-grpo', render: () => renderOpenRlhf(OPENRLHF_SPEC, { version: '0.10.2' }) },
  { name: 'openrlhf-legacy-ppo-multinode', render: () => renderOpenRlhf({ ...ppo(OPENRLHF_SPEC), nodes: 2 }, { version: '0.9.8', rayAddress: '10.0.0.1:6379' }) },
  { name: 'openrlhf-dotted-ppo-multinode', render: () => renderOpenRlhf({ ...ppo(OPENRLHF_SPEC), nodes: 2 }, { version: '0.11.0', rayAddress: '10.0.0.1:6379' }) },
  {
    name: 'openrlhf-dotted-reinforce-python-options',
    render: () =>
      renderOpenRlhf(
        { ...OPENRLHF_SPEC, algorithm: 'reinforce', klCoef: 0.01, python: '/envs/openrlhf/bin/python', options: OPENRLHF_OPTIONS },
        { version: '0.11.2' },
      ),
  },
  { name: 'trl-grpo', render: () => renderTrl(TRL_SPEC) },
  { name: 'trl-sft-attack', render: () => renderTrlSft(TRL_SFT_SPEC) },
  {
    name: 'trl-sft-attack-gpus-chat-template',
    render: () =>
      renderTrlSft({ ...TRL_SFT_SPEC, gpus: 4, batchSize: 32, learningRate: undefined, maxLength: 512, chatTemplate: FALLBACK_CHAT_TEMPLATE }),
  },
  {
    name: 'trl-grpo-multinode',
    render: () => renderTrl({ ...TRL_SPEC, nodes: 2 }, { rendezvous: { machineRank: 1, mainProcessIp: '10.0.0.1', mainProcessPort: 29500 } }),
  },
];

export function goldenText(launch: RenderedLaunch): string {
  return `${JSON.stringify(launch, null, 2)}\n`;
}

export async function readGolden(name: string): Promise<RenderedLaunch> {
  return JSON.parse(await readFile(join(GOLDEN_DIR, `${name}.json`), 'utf8')) as RenderedLaunch;
}

export async function writeGolden(name: string, launch: RenderedLaunch): Promise<void> {
  await writeFile(join(GOLDEN_DIR, `${name}.json`), goldenText(launch));
}
