import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameworkRenderError, FrameworkVersionError } from '../errors.js';
import { OPENRLHF_SPEC } from './golden-cases.js';
import { openRlhfHfCheckpointDir, openRlhfResumeArgs, renderOpenRlhf } from './openrlhf.js';

function renderError(fn: () => unknown): FrameworkRenderError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof FrameworkRenderError, `expected FrameworkRenderError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a FrameworkRenderError');
}

const value = (argv: readonly string[], flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);

void test("OpenRLHF runs under the environment's interpreter, python3 on PATH when none is given", () => {
  const argv = renderOpenRlhf({ ...OPENRLHF_SPEC, python: '/envs/orl/bin/python' }, { version: '0.11.2' }).argv;
  assert.deepEqual(argv.slice(0, 3), ['/envs/orl/bin/python', '-m', 'openrlhf.cli.train_ppo_ray']);
  assert.equal(renderOpenRlhf(OPENRLHF_SPEC, { version: '0.11.2' }).argv[0], 'python3');
});

void test("OpenRLHF: reinforce is its REINFORCE++ ('reinforce'), the KL term in the reward", () => {
  const dotted = renderOpenRlhf({ ...OPENRLHF_SPEC, algorithm: 'reinforce', klCoef: 0.02 }, { version: '0.11.2' }).argv;
  assert.equal(value(dotted, '--algo.advantage.estimator'), 'reinforce');
  assert.equal(value(dotted, '--algo.kl.init_coef'), '0.02');
  assert.ok(!dotted.includes('--algo.kl.use_loss') && !dotted.includes('--critic.model_name_or_path'));
  const legacy = renderOpenRlhf({ ...OPENRLHF_SPEC, algorithm: 'reinforce' }, { version: '0.10.1' }).argv;
  assert.equal(value(legacy, '--advantage_estimator'), 'reinforce');
});

void test('OpenRLHF refuses a CPU run at gpusPerNode', () => {
  const e = renderError(() => renderOpenRlhf({ ...OPENRLHF_SPEC, gpusPerNode: 0 }, { version: '0.11.2' }));
  assert.equal(e.code, 'FRAMEWORK_VALUE_NOT_RENDERABLE');
  assert.equal(e.field, 'gpusPerNode');
});

void test('OpenRLHF saves a Hugging Face copy of every checkpoint, in either dialect', () => {
  assert.ok(renderOpenRlhf(OPENRLHF_SPEC, { version: '0.11.2' }).argv.includes('--ckpt.save_hf'));
  assert.ok(renderOpenRlhf(OPENRLHF_SPEC, { version: '0.10.1' }).argv.includes('--save_hf_ckpt'));
  assert.equal(openRlhfHfCheckpointDir('/runs/x/native', 50), '/runs/x/native/ckpt/global_step50_hf');
});

void test("openRlhfResumeArgs: the version's checkpoint-loading flag", () => {
  assert.deepEqual(openRlhfResumeArgs('0.11.2'), ['--ckpt.load_enable']);
  assert.deepEqual(openRlhfResumeArgs('0.10.2'), ['--ckpt.load_enable']);
  assert.deepEqual(openRlhfResumeArgs('0.10.1'), ['--load_checkpoint']);
  assert.throws(() => openRlhfResumeArgs('0.9.0'), (err: unknown) => err instanceof FrameworkVersionError && err.code === 'FRAMEWORK_VERSION_UNSUPPORTED');
});

void test('OpenRLHF: options come last as --key value, keys sorted, true as a bare switch', () => {
  const argv = renderOpenRlhf(
    { ...OPENRLHF_SPEC, options: { 'rollout.temperature': 0.7, 'ds.zero_stage': 3, 'actor.gradient_checkpointing_enable': true, 'logger.wandb.project': 'a b' } },
    { version: '0.11.2' },
  ).argv;
  assert.deepEqual(argv.slice(-8), ['--ckpt.save_hf', '--actor.gradient_checkpointing_enable', '--ds.zero_stage', '3', '--logger.wandb.project', 'a b', '--rollout.temperature', '0.7']);
});

void test('OpenRLHF: options may not set what the adapter renders or Ballast owns, in either spelling', () => {
  for (const key of ['ckpt.max_n', 'ckpt.max', 'ckpt.max_num', 'max_ckpt_num', 'ckpt.max_mem', 'max_ckpt_mem', 'ckpt.load_enable', 'load_checkpoint', 'ckpt.save_hf', 'ckpt.disable_ds', 'pretrain', 'actor.model_name_or_path', 'train.seed']) {
    const e = renderError(() => renderOpenRlhf({ ...OPENRLHF_SPEC, options: { [key]: 1 } }, { version: '0.11.2' }));
    assert.equal(e.code, 'FRAMEWORK_OPTION_UNSUPPORTED', key);
    assert.equal(e.field, `options.${key}`);
  }
});

void test('OpenRLHF: false and values argparse would read as flags are refused at the option', () => {
  const off = renderError(() => renderOpenRlhf({ ...OPENRLHF_SPEC, options: { 'ds.packing_samples': false } }, { version: '0.11.2' }));
  assert.equal(off.code, 'FRAMEWORK_VALUE_NOT_RENDERABLE');
  assert.equal(off.field, 'options.ds.packing_samples');
  assert.equal(renderError(() => renderOpenRlhf({ ...OPENRLHF_SPEC, options: { 'data.input_template': '--x {}' } }, { version: '0.11.2' })).field, 'options.data.input_template');
  const negative = renderOpenRlhf({ ...OPENRLHF_SPEC, options: { 'critic.freezing_steps': -1 } }, { version: '0.11.2' }).argv;
  assert.equal(value(negative, '--critic.freezing_steps'), '-1');
});
