import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FRAMEWORK_REQUIREMENTS, HARNESS_REQUIREMENTS, versionMatches, withVersion } from './requirements.js';

describe('versionMatches', { timeout: 5_000 }, () => {
  it('takes a short version as a prefix by parts', () => {
    assert.equal(versionMatches('0.10', '0.10.2'), true);
    assert.equal(versionMatches('0.10', '0.10'), true);
    assert.equal(versionMatches('0.10.*', '0.10.7'), true);
    assert.equal(versionMatches('0.10', '0.100.1'), false, 'a prefix must end at a part boundary');
    assert.equal(versionMatches('0.10', '0.11.0'), false);
    assert.equal(versionMatches('1', '1.16.0'), true);
  });

  it('wants a full version exactly, ignoring a local suffix unless asked for', () => {
    assert.equal(versionMatches('1.16.0', '1.16.0'), true);
    assert.equal(versionMatches('1.16.0', '1.16.1'), false);
    assert.equal(versionMatches('1.16.0', '1.16.0.post1'), false);
    assert.equal(versionMatches('2.15.0', '2.15.0+cpu'), true);
    assert.equal(versionMatches('2.15.0+cu130', '2.15.0+cpu'), false);
    assert.equal(versionMatches('0.3.285rc1', '0.3.285'), false);
  });
});

describe('requirement lists', { timeout: 5_000 }, () => {
  it('name the dist and the module where they differ', () => {
    assert.deepEqual(HARNESS_REQUIREMENTS.inspect[0], { dist: 'inspect-ai', module: 'inspect_ai' });
    assert.deepEqual(HARNESS_REQUIREMENTS['lm-eval'][0], { dist: 'lm-eval', module: 'lm_eval' });
    assert.deepEqual(
      FRAMEWORK_REQUIREMENTS.trl.map((r) => r.dist),
      ['trl', 'transformers', 'torch', 'accelerate'],
    );
    assert.deepEqual(FRAMEWORK_REQUIREMENTS.verl, [{ dist: 'verl', module: 'verl' }]);
    assert.deepEqual(FRAMEWORK_REQUIREMENTS.openrlhf, [{ dist: 'openrlhf', module: 'openrlhf' }]);
  });

  it('withVersion asks the version of the first package only', () => {
    const asked = withVersion(FRAMEWORK_REQUIREMENTS.trl, '1.16');
    assert.equal(asked[0]!.version, '1.16');
    assert.ok(asked.slice(1).every((r) => r.version === undefined));
    assert.deepEqual(withVersion(FRAMEWORK_REQUIREMENTS.trl, undefined), [...FRAMEWORK_REQUIREMENTS.trl]);
  });
});
