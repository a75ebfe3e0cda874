import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from './prng.js';
import { interleave } from './schedule.js';

/** Asserts every prefix is within 1 record of each share, and every window of each size within 2. */
function assertSpread(counts: number[]): void {
  const order = [...interleave(counts)];
  const total = counts.reduce((s, x) => s + x, 0);
  assert.equal(order.length, total);
  counts.forEach((count, k) => {
    const prefix = [0];
    for (const which of order) prefix.push((prefix.at(-1) ?? 0) + (which === k ? 1 : 0));
    assert.equal(prefix.at(-1), count, `component ${k} emitted ${prefix.at(-1)} of ${count}`);
    for (let t = 1; t <= total; t++) {
      assert.ok(Math.abs((prefix[t] ?? 0) - (t * count) / total) < 1, `prefix ${t} of component ${k}`);
    }
    for (const w of [1, 2, 7, 20, 64, Math.floor(total / 3)]) {
      for (let a = 0; a + w <= total; a++) {
        const got = (prefix[a + w] ?? 0) - (prefix[a] ?? 0);
        assert.ok(Math.abs(got - (w * count) / total) <= 2, `window [${a}, ${a + w}) of component ${k}: ${got}`);
      }
    }
  });
}

test('interleave spreads a 95/5 mix evenly', () => {
  assertSpread([3040, 160]);
  const order = [...interleave([19, 1])];
  assert.equal(order.filter((x) => x === 1).length, 1);
});

test('interleave keeps every window within ±2 of each share, for random mixes', () => {
  const rng = SeededRandom.fromParts('schedule-test');
  for (let trial = 0; trial < 30; trial++) {
    const k = 1 + rng.below(6);
    assertSpread(Array.from({ length: k }, () => rng.below(300)));
  }
});

test('interleave skips empty components', () => {
  assert.deepEqual([...interleave([0, 2, 0])], [1, 1]);
  assert.deepEqual([...interleave([])], []);
});
