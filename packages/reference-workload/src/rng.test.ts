import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from './rng.js';

void test('same seed parts give the same stream; different parts a different one', () => {
  const a = Rng.from('x', 1);
  const b = Rng.from('x', 1);
  const c = Rng.from('x', 2);
  const take = (r: Rng) => Array.from({ length: 5 }, () => r.nextUint32());
  const sa = take(a);
  assert.deepEqual(sa, take(b));
  assert.notDeepEqual(sa, take(c));
});

void test('a restored state continues the exact stream', () => {
  const a = Rng.from('resume');
  a.float();
  const copy = Rng.restore(a.state());
  assert.deepEqual([a.float(), a.int(10), a.weighted([1, 2, 3])], [copy.float(), copy.int(10), copy.weighted([1, 2, 3])]);
});

void test('floats lie in [0,1) and weighted draws follow the weights', () => {
  const r = Rng.from('dist');
  const counts = [0, 0, 0];
  for (let i = 0; i < 30_000; i++) {
    const f = r.float();
    assert.ok(f >= 0 && f < 1);
    counts[r.weighted([1, 0, 3])]!++;
  }
  assert.equal(counts[1], 0);
  assert.ok(Math.abs(counts[2]! / 30_000 - 0.75) < 0.02, String(counts));
});
