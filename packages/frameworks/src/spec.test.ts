import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameworkSpecError } from './errors.js';
import { BASE_SPEC } from './render/golden-cases.js';
import { renderVerl } from './render/verl.js';
import { parseTrainingSpec } from './spec.js';

/** The issue paths of the FrameworkSpecError `fn` throws. */
function issuePaths(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof FrameworkSpecError, `expected FrameworkSpecError, got ${String(err)}`);
    assert.equal(err.code, 'FRAMEWORK_SPEC_INVALID');
    for (const issue of err.issues) assert.ok(err.message.includes(`${issue.path}: `), 'the message names every field');
    return err.issues.map((i) => i.path);
  }
  assert.fail('expected a FrameworkSpecError');
}

void test('a complete spec parses unchanged', () => {
  assert.deepEqual(parseTrainingSpec(BASE_SPEC), { ...BASE_SPEC, options: {} });
});

void test('missing required fields are each named', () => {
  const { modelPath: _m, steps: _s, ...rest } = BASE_SPEC;
  assert.deepEqual(issuePaths(() => parseTrainingSpec(rest)).sort(), ['modelPath', 'steps']);
});

void test('relative paths are refused at their field, including inside lists', () => {
  const paths = issuePaths(() =>
    parseTrainingSpec({ ...BASE_SPEC, outputDir: 'runs/out', dataset: { format: 'verl', paths: ['/ok.parquet', 'rel.parquet'] } }),
  );
  assert.deepEqual(paths.sort(), ['dataset.paths.1', 'outputDir']);
});

void test('bad numbers, an unknown format and an unknown key are named', () => {
  const paths = issuePaths(() =>
    parseTrainingSpec({
      ...BASE_SPEC,
      steps: 0,
      seed: -1,
      gpusPerNode: 1.5,
      dataset: { format: 'megatron', paths: [] },
      learning_rate: 1e-6,
    }),
  );
  assert.deepEqual(paths.sort(), ['dataset.format', 'dataset.paths', 'gpusPerNode', 'learning_rate', 'seed', 'steps']);
});

void test('GRPO needs a group size of at least 2', () => {
  assert.deepEqual(issuePaths(() => parseTrainingSpec({ ...BASE_SPEC, groupSize: undefined })), ['groupSize']);
  assert.deepEqual(issuePaths(() => parseTrainingSpec({ ...BASE_SPEC, groupSize: 1 })), ['groupSize']);
  assert.equal(parseTrainingSpec({ ...BASE_SPEC, algorithm: 'ppo', groupSize: undefined }).groupSize, undefined);
});

void test('a reward must be a .py file and a Python identifier', () => {
  const paths = issuePaths(() => parseTrainingSpec({ ...BASE_SPEC, reward: { path: '/r/reward.txt', name: 'not-valid' } }));
  assert.deepEqual(paths.sort(), ['reward.name', 'reward.path']);
});

void test('control characters in a path are refused', () => {
  assert.deepEqual(issuePaths(() => parseTrainingSpec({ ...BASE_SPEC, modelPath: '/models/a\nb' })), ['modelPath']);
});

void test('renderers validate too: bad input never reaches a command line', () => {
  assert.deepEqual(issuePaths(() => renderVerl({ ...BASE_SPEC, nodes: 0 })), ['nodes']);
  assert.deepEqual(issuePaths(() => renderVerl(BASE_SPEC, { rayAddress: '' } as never)), ['options.rayAddress']);
});
