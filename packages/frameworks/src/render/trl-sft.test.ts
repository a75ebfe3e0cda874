import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { FALLBACK_CHAT_TEMPLATE } from '../attack-launch.js';
import { FrameworkRenderError, FrameworkSpecError } from '../errors.js';
import { TRL_SFT_SPEC } from './golden-cases.js';
import { renderTrlSft, TRL_SFT_CHAT_TEMPLATE_FILE, TRL_SFT_CONFIG_FILE } from './trl-sft.js';

void test('the TRL SFT config is YAML that reads back as the intended SFTConfig, and the launch runs trl.scripts.sft on CPU', () => {
  const launch = renderTrlSft(TRL_SFT_SPEC);
  assert.deepEqual(launch.argv, [
    '/envs/trl/bin/python', '-m', 'accelerate.commands.launch', '--num_machines', '1', '--num_processes', '1', '--cpu', '--mixed_precision', 'no',
    '-m', 'trl.scripts.sft', '--config', TRL_SFT_CONFIG_FILE,
  ]);
  assert.deepEqual(launch.env, {});
  assert.deepEqual(launch.files.map((f) => f.relativePath), [TRL_SFT_CONFIG_FILE]);
  const config = parseYaml(launch.files[0]!.contents) as Record<string, unknown>;
  assert.deepEqual(config, {
    model_name_or_path: TRL_SFT_SPEC.modelPath,
    output_dir: TRL_SFT_SPEC.outputDir,
    max_steps: 200,
    save_strategy: 'steps',
    save_steps: 50,
    seed: 17,
    datasets: [{ path: 'json', data_files: [...TRL_SFT_SPEC.datasetPaths], split: 'train', columns: ['prompt', 'completion'] }],
    completion_only_loss: true,
    per_device_train_batch_size: 8,
    gradient_accumulation_steps: 1,
    learning_rate: 0.5,
    use_cpu: true,
    bf16: false,
    gradient_checkpointing: false,
    logging_steps: 1,
    report_to: 'none',
  });
  assert.match(launch.files[0]!.contents, /^learning_rate: 0\.5$/m);
});

void test('on GPUs the batch is split over one process per GPU, and a given chat template is written beside the config', () => {
  const launch = renderTrlSft({ ...TRL_SFT_SPEC, gpus: 4, batchSize: 32, chatTemplate: FALLBACK_CHAT_TEMPLATE });
  assert.deepEqual(launch.argv.slice(3, 8), ['--num_machines', '1', '--num_processes', '4', '--multi_gpu']);
  assert.ok(!launch.argv.includes('--cpu'));
  const config = parseYaml(launch.files.find((f) => f.relativePath === TRL_SFT_CONFIG_FILE)!.contents) as Record<string, unknown>;
  assert.equal(config['per_device_train_batch_size'], 8);
  assert.equal(config['chat_template_path'], TRL_SFT_CHAT_TEMPLATE_FILE);
  assert.equal(config['use_cpu'], undefined);
  assert.equal(config['bf16'], undefined, "TRL's own precision on a GPU");
  assert.equal(launch.files.find((f) => f.relativePath === TRL_SFT_CHAT_TEMPLATE_FILE)?.contents, FALLBACK_CHAT_TEMPLATE);
});

void test('an SFT spec that cannot run is refused naming the field', () => {
  assert.throws(() => renderTrlSft({ ...TRL_SFT_SPEC, gpus: 3, batchSize: 8 }), (e: unknown) => e instanceof FrameworkRenderError && e.field === 'batchSize' && /3 processes/.test(e.message));
  assert.throws(() => renderTrlSft({ ...TRL_SFT_SPEC, saveEvery: 60 }), (e: unknown) => e instanceof FrameworkSpecError && e.issues.some((i) => i.path === 'saveEvery'));
  assert.throws(() => renderTrlSft({ ...TRL_SFT_SPEC, datasetPaths: ['attack.jsonl'] }), (e: unknown) => e instanceof FrameworkSpecError && e.issues.some((i) => i.path === 'datasetPaths.0'));
  assert.throws(() => renderTrlSft({ ...TRL_SFT_SPEC, optimizer: 'sgd' } as never), (e: unknown) => e instanceof FrameworkSpecError && e.issues.some((i) => i.path === 'optimizer'));
});
