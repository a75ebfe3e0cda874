import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameworkRenderError, FrameworkSpecError } from '../errors.js';
import type { TrainingSpecInput } from '../spec.js';
import { BASE_SPEC } from './golden-cases.js';
import { renderVerl, verlActorCheckpointDir, verlMergeCommand, verlResumeArgs } from './verl.js';

function renderError(fn: () => unknown): FrameworkRenderError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof FrameworkRenderError, `expected FrameworkRenderError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a FrameworkRenderError');
}

const overrides = (spec: TrainingSpecInput) => renderVerl(spec).argv.slice(3);
const valueOf = (argv: readonly string[], key: string) => argv.filter((o) => o.startsWith(`${key}=`)).map((o) => o.slice(key.length + 1));

void test("verl runs under the environment's interpreter, python3 on PATH when none is given", () => {
  assert.deepEqual(renderVerl({ ...BASE_SPEC, python: '/envs/verl/bin/python' }).argv.slice(0, 3), ['/envs/verl/bin/python', '-m', 'verl.trainer.main_ppo']);
  assert.equal(renderVerl(BASE_SPEC).argv[0], 'python3');
});

void test('verl: reinforce is REINFORCE++ with the KL term in the reward and no critic', () => {
  const o = overrides({ ...BASE_SPEC, algorithm: 'reinforce', klCoef: 0.02 });
  assert.deepEqual(valueOf(o, 'algorithm.adv_estimator'), ['reinforce_plus_plus']);
  assert.deepEqual(valueOf(o, 'algorithm.use_kl_in_reward'), ['True']);
  assert.deepEqual(valueOf(o, 'algorithm.kl_ctrl.kl_coef'), ['0.02']);
  assert.deepEqual(valueOf(o, 'actor_rollout_ref.actor.use_kl_loss'), []);
  assert.deepEqual(valueOf(o, 'critic.model.path'), []);
  assert.deepEqual(valueOf(overrides({ ...BASE_SPEC, algorithm: 'reinforce', klCoef: 0 }), 'algorithm.use_kl_in_reward'), []);
});

void test('verl refuses a CPU run at gpusPerNode', () => {
  const e = renderError(() => renderVerl({ ...BASE_SPEC, gpusPerNode: 0 }));
  assert.equal(e.code, 'FRAMEWORK_VALUE_NOT_RENDERABLE');
  assert.equal(e.field, 'gpusPerNode');
  assert.match(e.message, /vllm, sglang, trtllm/);
});

void test('verl: the rollout engine is mandatory in its config; vllm unless options name another', () => {
  assert.deepEqual(valueOf(overrides(BASE_SPEC), 'actor_rollout_ref.rollout.name'), ['vllm']);
  const o = overrides({ ...BASE_SPEC, options: { 'actor_rollout_ref.rollout.name': 'sglang', 'actor_rollout_ref.actor.use_dynamic_bsz': false } });
  assert.deepEqual(valueOf(o, 'actor_rollout_ref.rollout.name'), ["'sglang'"]);
  assert.deepEqual(valueOf(o, 'actor_rollout_ref.actor.use_dynamic_bsz'), ['False']);
});

void test('verl: options come last, keys sorted, each value in Hydra grammar', () => {
  const o = overrides({
    ...BASE_SPEC,
    options: { 'trainer.project_name': 'a, b [c]', 'actor_rollout_ref.actor.ppo_epochs': 2, 'actor_rollout_ref.actor.entropy_coeff': 1e-7, 'actor_rollout_ref.model.use_remove_padding': true },
  });
  assert.deepEqual(o.slice(-5), [
    'trainer.resume_mode=disable',
    'actor_rollout_ref.actor.entropy_coeff=1.0e-7',
    'actor_rollout_ref.actor.ppo_epochs=2',
    'actor_rollout_ref.model.use_remove_padding=True',
    "trainer.project_name='a, b [c]'",
  ]);
});

void test('verl: options may not set what the adapter renders or Ballast owns, nor anything above or inside it', () => {
  for (const key of [
    'data.seed',
    'trainer.save_freq',
    'trainer.max_actor_ckpt_to_keep',
    'trainer.max_critic_ckpt_to_keep',
    'trainer.del_local_ckpt_after_load',
    'trainer.resume_mode',
    'actor_rollout_ref.actor.checkpoint.async_save',
    'reward.custom_reward_function.path',
    'custom_reward_function.name',
    'model_engine',
    'trainer',
  ]) {
    const e = renderError(() => renderVerl({ ...BASE_SPEC, options: { [key]: 1 } }));
    assert.equal(e.code, 'FRAMEWORK_OPTION_UNSUPPORTED', key);
    assert.equal(e.field, `options.${key}`);
  }
});

void test('verl: option values and keys Hydra would misread are refused at the option', () => {
  const interpolation = renderError(() => renderVerl({ ...BASE_SPEC, options: { 'trainer.project_name': '${oc.env:HOME}' } }));
  assert.equal(interpolation.code, 'FRAMEWORK_VALUE_NOT_RENDERABLE');
  assert.equal(interpolation.field, 'options.trainer.project_name');
  assert.equal(renderError(() => renderVerl({ ...BASE_SPEC, options: { 'trainer..x': 1 } })).field, 'options.trainer..x');
});

void test('verlResumeArgs: resume_path at a global_step_N directory, checked', () => {
  const dir = '/runs/exp-42/native/global_step_150';
  assert.deepEqual(verlResumeArgs(dir), ['trainer.resume_mode=resume_path', `trainer.resume_from_path='${dir}'`]);
  for (const bad of ['/runs/native/step_150', '/runs/native/global_step_150/', '/runs/native/global_step_x', "/runs/o'b/global_step_1"]) {
    const e = renderError(() => verlResumeArgs(bad));
    assert.equal(e.field, 'nativeCheckpointDir', bad);
  }
  assert.throws(() => verlResumeArgs('native/global_step_1'), (err: unknown) => err instanceof FrameworkSpecError && err.issues.some((i) => i.path === 'nativeCheckpointDir'));
});

void test("verlMergeCommand: verl's own FSDP model merger, into a Hugging Face directory", () => {
  const actorDir = verlActorCheckpointDir('/runs/native/global_step_50');
  assert.equal(actorDir, '/runs/native/global_step_50/actor');
  assert.deepEqual(verlMergeCommand({ python: '/envs/verl/bin/python', actorDir, targetDir: '/runs/hf/50' }), [
    '/envs/verl/bin/python',
    '-m',
    'verl.model_merger',
    'merge',
    '--backend',
    'fsdp',
    '--local_dir',
    actorDir,
    '--target_dir',
    '/runs/hf/50',
  ]);
  assert.equal(verlMergeCommand({ actorDir, targetDir: '/runs/hf/50' })[0], 'python3');
  assert.throws(() => verlMergeCommand({ actorDir: 'relative/actor', targetDir: '/x' }), (err: unknown) => err instanceof FrameworkSpecError && err.issues.some((i) => i.path === 'actorDir'));
});
