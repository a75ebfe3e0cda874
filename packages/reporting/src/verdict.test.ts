import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verdictFor } from './verdict.js';

test('verdictFor: improved only when the whole CI is above zero, regressed when below', () => {
  assert.equal(verdictFor(0.01, 0.2), 'improved');
  assert.equal(verdictFor(-0.2, -0.01), 'regressed');
  assert.equal(verdictFor(-0.1, 0.1), 'no_change');
  assert.equal(verdictFor(0, 0.1), 'no_change');
  assert.equal(verdictFor(-0.1, 0), 'no_change');
  assert.equal(verdictFor(0, 0), 'no_change');
});
