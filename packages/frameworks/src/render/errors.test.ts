import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameworkRenderError, FrameworkSpecError, FrameworkVersionError } from '../errors.js';
import type { TrainingSpecInput } from '../spec.js';
import { BASE_SPEC, OPENRLHF_SPEC, TRL_SPEC } from './golden-cases.js';
import { openRlhfDialect, renderOpenRlhf } from './openrlhf.js';
import { renderLaunch } from './target.js';
import { renderTrl } from './trl.js';
import { renderVerl } from './verl.js';

function renderError(fn: () => unknown): FrameworkRenderError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof FrameworkRenderError, `expected FrameworkRenderError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a FrameworkRenderError');
}

function versionError(fn: () => unknown): FrameworkVersionError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof FrameworkVersionError, `expected FrameworkVersionError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a FrameworkVersionError');
}

void test('a dataset exported for another framework is refused at dataset.format, naming both formats', () => {
  const e = renderError(() => renderVerl({ ...BASE_SPEC, dataset: OPENRLHF_SPEC.dataset }));
  assert.equal(e.code, 'FRAMEWORK_DATASET_FORMAT_MISMATCH');
  assert.equal(e.framework, 'verl');
  assert.equal(e.field, 'dataset.format');
  assert.match(e.message, /'verl'.*'openrlhf'/);
  assert.equal(renderError(() => renderTrl({ ...TRL_SPEC, dataset: BASE_SPEC.dataset })).field, 'dataset.format');
  assert.equal(renderError(() => renderOpenRlhf({ ...OPENRLHF_SPEC, dataset: TRL_SPEC.dataset }, { version: '0.10.2' })).code, 'FRAMEWORK_DATASET_FORMAT_MISMATCH');
});

void test('a shard whose extension contradicts the format is named by index', () => {
  const e = renderError(() =>
    renderVerl({ ...BASE_SPEC, dataset: { format: 'verl', paths: ['/m/part-0.parquet', '/m/part-1.jsonl'] } }),
  );
  assert.equal(e.code, 'FRAMEWORK_VALUE_NOT_RENDERABLE');
  assert.equal(e.field, 'dataset.paths.1');
});

void test('TRL refuses PPO with a typed error at algorithm', () => {
  const e = renderError(() => renderTrl({ ...TRL_SPEC, algorithm: 'ppo', groupSize: undefined }));
  assert.equal(e.code, 'FRAMEWORK_ALGORITHM_UNSUPPORTED');
  assert.equal(e.field, 'algorithm');
  assert.match(e.message, /'ppo'.*'grpo'/);
});

void test('OpenRLHF before 0.9.8 is refused: a typed error names the version and the supported ranges', () => {
  const e = versionError(() => renderOpenRlhf(OPENRLHF_SPEC, { version: '0.9.7' }));
  assert.equal(e.code, 'FRAMEWORK_VERSION_UNSUPPORTED');
  assert.equal(e.framework, 'openrlhf');
  assert.equal(e.version, '0.9.7');
  assert.deepEqual(e.supportedRanges, ['>=0.9.8 <=0.10.1 (legacy flags)', '>=0.10.2 (dotted flags)']);
  assert.match(e.message, /0\.9\.7/);
  assert.match(e.message, />=0\.9\.8 <=0\.10\.1/);
  assert.match(e.message, />=0\.10\.2/);
});

void test('an OpenRLHF version that is not MAJOR.MINOR.PATCH is its own error', () => {
  for (const version of ['latest', '0.10', '0.10.2rc1']) {
    const e = versionError(() => openRlhfDialect(version));
    assert.equal(e.code, 'FRAMEWORK_VERSION_INVALID');
    assert.equal(e.version, version);
  }
});

void test('the OpenRLHF dialect switches between 0.10.1 and 0.10.2', () => {
  for (const v of ['0.9.8', '0.9.9', '0.10.0', 'v0.10.0', '0.10.1']) assert.equal(openRlhfDialect(v), 'legacy', v);
  for (const v of ['0.10.2', '0.10.10', '0.11.0', '1.0.0']) assert.equal(openRlhfDialect(v), 'dotted', v);
  const legacy = renderOpenRlhf(OPENRLHF_SPEC, { version: '0.10.0' }).argv;
  const dotted = renderOpenRlhf(OPENRLHF_SPEC, { version: '0.10.2' }).argv;
  assert.ok(legacy.includes('--pretrain') && !legacy.includes('--actor.model_name_or_path'));
  assert.ok(dotted.includes('--actor.model_name_or_path') && !dotted.includes('--pretrain'));
  const value = (argv: string[], flag: string) => argv[argv.indexOf(flag) + 1];
  assert.equal(value(legacy, '--advantage_estimator'), 'group_norm');
  assert.equal(value(dotted, '--algo.advantage.estimator'), 'group_norm');
  assert.equal(value(legacy, '--seed'), '17');
  assert.equal(value(dotted, '--train.seed'), '17');
  assert.equal(value(dotted, '--ckpt.save_steps'), '50');
  assert.equal(value(legacy, '--save_steps'), '50');
});

void test('OpenRLHF needs a reward_func file and a batch size, and takes one shard', () => {
  const cases: [TrainingSpecInput, string, string][] = [
    [{ ...OPENRLHF_SPEC, reward: undefined }, 'reward', 'FRAMEWORK_OPTION_REQUIRED'],
    [{ ...OPENRLHF_SPEC, reward: { path: '/r/x.py', name: 'score' } }, 'reward.name', 'FRAMEWORK_OPTION_UNSUPPORTED'],
    [{ ...OPENRLHF_SPEC, batchSize: undefined }, 'batchSize', 'FRAMEWORK_OPTION_REQUIRED'],
    [{ ...OPENRLHF_SPEC, dataset: { format: 'openrlhf', paths: ['/m/a.jsonl', '/m/b.jsonl'] } }, 'dataset.paths', 'FRAMEWORK_OPTION_UNSUPPORTED'],
    [{ ...OPENRLHF_SPEC, dataset: { format: 'openrlhf', paths: ['/m/a,b.jsonl'] } }, 'dataset.paths.0', 'FRAMEWORK_VALUE_NOT_RENDERABLE'],
    [{ ...OPENRLHF_SPEC, dataset: { format: 'openrlhf', paths: ['/m/user@host.jsonl'] } }, 'dataset.paths.0', 'FRAMEWORK_VALUE_NOT_RENDERABLE'],
    [{ ...OPENRLHF_SPEC, reward: { path: '/r/a,b/reward.py', name: 'reward_func' } }, 'reward.path', 'FRAMEWORK_VALUE_NOT_RENDERABLE'],
  ];
  for (const [spec, field, code] of cases) {
    const e = renderError(() => renderOpenRlhf(spec, { version: '0.10.2' }));
    assert.equal(e.field, field, e.message);
    assert.equal(e.code, code, e.message);
  }
});

void test('OpenRLHF has only a total length, so a prompt length alone is refused in both dialects', () => {
  for (const version of ['0.10.2', '0.10.0']) {
    const e = renderError(() => renderOpenRlhf({ ...OPENRLHF_SPEC, maxResponseLength: undefined }, { version }));
    assert.equal(e.field, 'maxPromptLength', version);
  }
  const value = (argv: string[], flag: string) => argv[argv.indexOf(flag) + 1];
  const legacy = renderOpenRlhf(OPENRLHF_SPEC, { version: '0.10.0' }).argv;
  assert.equal(value(legacy, '--max_len'), '3072');
  assert.equal(value(legacy, '--max_new_tokens'), '2048');
});

void test('OpenRLHF without a version is a spec error at options.version', () => {
  assert.throws(
    () => renderOpenRlhf(OPENRLHF_SPEC, {} as never),
    (err: unknown) => err instanceof FrameworkSpecError && err.issues.some((i) => i.path === 'options.version'),
  );
});

void test('verl refuses values that Hydra would read as quoting or interpolation', () => {
  const cases: [TrainingSpecInput, string][] = [
    [{ ...BASE_SPEC, modelPath: "/models/o'brien" }, 'modelPath'],
    [{ ...BASE_SPEC, outputDir: '/runs/a\\b' }, 'outputDir'],
    [{ ...BASE_SPEC, dataset: { format: 'verl', paths: ['/m/ok.parquet', '/m/${oc.env:HOME}.parquet'] } }, 'dataset.paths.1'],
  ];
  for (const [spec, field] of cases) {
    const e = renderError(() => renderVerl(spec));
    assert.equal(e.code, 'FRAMEWORK_VALUE_NOT_RENDERABLE');
    assert.equal(e.field, field);
  }
});

void test('verl quotes paths, so commas, brackets and spaces stay inside one Hydra value', () => {
  const argv = renderVerl({ ...BASE_SPEC, modelPath: '/models/a,b [c]=d e' }).argv;
  assert.ok(argv.includes("actor_rollout_ref.model.path='/models/a,b [c]=d e'"));
});

void test('TRL: multi-node needs a rendezvous, single-node refuses one, the rank must fit', () => {
  const rendezvous = { machineRank: 0, mainProcessIp: '10.0.0.1', mainProcessPort: 29500 };
  assert.equal(renderError(() => renderTrl({ ...TRL_SPEC, nodes: 2 })).field, 'options.rendezvous');
  assert.equal(renderError(() => renderTrl(TRL_SPEC, { rendezvous })).field, 'options.rendezvous');
  assert.equal(renderError(() => renderTrl({ ...TRL_SPEC, nodes: 2 }, { rendezvous: { ...rendezvous, machineRank: 2 } })).field, 'options.rendezvous.machineRank');
});

void test('TRL: no prompt length option, batches must divide over processes, the reward file must be importable', () => {
  assert.equal(renderError(() => renderTrl({ ...TRL_SPEC, maxPromptLength: 512 })).field, 'maxPromptLength');
  const uneven = renderError(() => renderTrl({ ...TRL_SPEC, batchSize: 3, groupSize: 2, gpusPerNode: 4 }));
  assert.equal(uneven.field, 'batchSize');
  assert.equal(renderError(() => renderTrl({ ...TRL_SPEC, reward: { path: '/r/trait-reward.py', name: 'f' } })).field, 'reward.path');
  assert.equal(renderError(() => renderTrl({ ...TRL_SPEC, reward: undefined })).code, 'FRAMEWORK_OPTION_REQUIRED');
});

void test('hostile strings stay single argv elements: nothing is ever joined into a shell line', () => {
  const hostile = '/models/x; rm -rf / $(touch pwned) `id` "q" \'s\'';
  const argv = renderOpenRlhf({ ...OPENRLHF_SPEC, modelPath: hostile }, { version: '0.10.2' }).argv;
  assert.equal(argv[argv.indexOf('--actor.model_name_or_path') + 1], hostile);
  const trl = renderTrl({ ...TRL_SPEC, modelPath: hostile });
  assert.ok(!trl.argv.some((a) => a.includes(hostile)), 'TRL carries it in the YAML, not in argv');
});

void test('renderLaunch dispatches on the framework and validates the target', () => {
  assert.deepEqual(renderLaunch(BASE_SPEC, { framework: 'verl' }), renderVerl(BASE_SPEC));
  assert.deepEqual(renderLaunch(OPENRLHF_SPEC, { framework: 'openrlhf', version: '0.10.0' }), renderOpenRlhf(OPENRLHF_SPEC, { version: '0.10.0' }));
  assert.deepEqual(renderLaunch(TRL_SPEC, { framework: 'trl' }), renderTrl(TRL_SPEC));
  assert.throws(
    () => renderLaunch(BASE_SPEC, { framework: 'deepspeed-chat' } as never),
    (err: unknown) => err instanceof FrameworkSpecError && err.issues.some((i) => i.path === 'target.framework'),
  );
});
