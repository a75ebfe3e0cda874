import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestValue, DOMAINS, TRAITS } from './vocabulary.js';

describe('closestValue', { timeout: 10_000 }, () => {
  it('suggests the value a typo or a short form most likely meant', () => {
    assert.equal(closestValue('health', DOMAINS), 'healthcare');
    assert.equal(closestValue('Scienc', DOMAINS), 'science');
    assert.equal(closestValue('honsety', TRAITS), 'honesty');
  });

  it('suggests nothing for an unrelated value', () => {
    assert.equal(closestValue('astronomy', DOMAINS), null);
    assert.equal(closestValue('', DOMAINS), null);
  });
});
