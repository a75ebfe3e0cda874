import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apportion } from './apportion.js';
import { SeededRandom } from './prng.js';

test('apportion gives exact proportional counts when they divide evenly', () => {
  assert.deepEqual(apportion(3200, [0.95, 0.05]), [3040, 160]);
});

test('apportion hands leftover records to the largest remainders, ties to the earlier component', () => {
  assert.deepEqual(apportion(10, [1 / 3, 1 / 3, 1 / 3]), [4, 3, 3]);
  assert.deepEqual(apportion(7, [0.5, 0.25, 0.25]), [3, 2, 2]); // remainders .5, .75, .75
  assert.deepEqual(apportion(100, [0.29, 0.71]), [29, 71]);
});

test('apportion never gives records to a zero fraction', () => {
  assert.deepEqual(apportion(5, [0, 0.5, 0.5]), [0, 3, 2]);
});

test('apportion sums to the total for random fractions', () => {
  const rng = SeededRandom.fromParts('apportion-test');
  for (let trial = 0; trial < 200; trial++) {
    const k = 1 + rng.below(8);
    const raw = Array.from({ length: k }, () => rng.below(1000) + 1);
    const sum = raw.reduce((s, x) => s + x, 0);
    const fractions = raw.map((x) => x / sum);
    const total = 1 + rng.below(100_000);
    const counts = apportion(total, fractions);
    assert.equal(counts.reduce((s, x) => s + x, 0), total);
    counts.forEach((c, i) => assert.ok(Math.abs(c - (fractions[i] ?? 0) * total) < 1 + 1e-6));
  }
});
