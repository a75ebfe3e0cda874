import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArtifactKeyError } from './errors.js';
import { validateArtifactKey, validateArtifactPrefix } from './key.js';

test('accepts relative slash keys', () => {
  assert.equal(validateArtifactKey('mixes/mix_abc/manifest.json'), 'mixes/mix_abc/manifest.json');
  assert.equal(validateArtifactKey('a'), 'a');
  assert.equal(validateArtifactKey('evals/.hidden-ok'), 'evals/.hidden-ok');
});

test('rejects keys that could escape the root or be ambiguous', () => {
  for (const bad of [
    '',
    '/etc/passwd',
    '../x',
    'a/../../x',
    'a/./b',
    'a//b',
    'a/',
    'a\\b',
    'file:///etc/passwd',
    's3://bucket/x',
    'a/.ballast-tmp-x',
    'a\0b',
  ]) {
    assert.throws(
      () => validateArtifactKey(bad),
      (error: unknown) => error instanceof InvalidArtifactKeyError && error.code === 'ARTIFACT_KEY_INVALID',
      bad,
    );
  }
});

test('prefixes may be empty or end with a slash, but not escape', () => {
  assert.equal(validateArtifactPrefix(''), '');
  assert.equal(validateArtifactPrefix('mixes/'), 'mixes/');
  assert.equal(validateArtifactPrefix('mixes/mix_a'), 'mixes/mix_a');
  assert.throws(() => validateArtifactPrefix('../'), InvalidArtifactKeyError);
  assert.throws(() => validateArtifactPrefix('/abs'), InvalidArtifactKeyError);
});
