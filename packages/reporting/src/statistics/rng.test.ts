import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from '../errors.js';
import { Rng } from './rng.js';

const DRAWS = 200_000;

test('the same seed gives the same stream, and nearby seeds give unrelated ones', { timeout: 10_000 }, () => {
  const a = new Rng(7);
  const b = new Rng(7);
  const c = new Rng(8);
  const streamA = Array.from({ length: 16 }, () => a.nextUint32());
  const streamB = Array.from({ length: 16 }, () => b.nextUint32());
  const streamC = Array.from({ length: 16 }, () => c.nextUint32());
  assert.deepEqual(streamA, streamB, 'two generators with seed 7 disagree');
  const shared = streamA.filter((x, i) => x === streamC[i]).length;
  assert.equal(shared, 0, `seeds 7 and 8 share ${shared} of 16 outputs`);
  assert.notDeepEqual(
    Array.from({ length: 4 }, () => new Rng(2 ** 40 + 1).nextUint32()),
    Array.from({ length: 4 }, () => new Rng(1).nextUint32()),
    'seeds differing only above bit 32 give the same stream',
  );
});

test('uniform() has the moments of U[0, 1) and stays in range', { timeout: 10_000 }, () => {
  const rng = new Rng(1);
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < DRAWS; i++) {
    const u = rng.uniform();
    assert.ok(u >= 0 && u < 1, `uniform() returned ${u}`);
    sum += u;
    sumSq += u * u;
  }
  const mean = sum / DRAWS;
  const variance = sumSq / DRAWS - mean * mean;
  // SE of the mean is √(1/12/200000) ≈ 0.00065; 5 SE of slack.
  assert.ok(Math.abs(mean - 0.5) < 0.0033, `uniform mean ${mean}, expected 0.5`);
  assert.ok(Math.abs(variance - 1 / 12) < 0.001, `uniform variance ${variance}, expected ${1 / 12}`);
});

test('normal() has mean 0, variance 1 and normal tails', { timeout: 10_000 }, () => {
  const rng = new Rng(2);
  let sum = 0;
  let sumSq = 0;
  let beyond196 = 0;
  for (let i = 0; i < DRAWS; i++) {
    const z = rng.normal();
    sum += z;
    sumSq += z * z;
    if (Math.abs(z) > 1.959964) beyond196++;
  }
  const mean = sum / DRAWS;
  const variance = sumSq / DRAWS - mean * mean;
  const tail = beyond196 / DRAWS;
  assert.ok(Math.abs(mean) < 0.012, `normal mean ${mean}, expected 0 (SE 0.0022)`);
  assert.ok(Math.abs(variance - 1) < 0.016, `normal variance ${variance}, expected 1 (SE 0.0032)`);
  assert.ok(Math.abs(tail - 0.05) < 0.0025, `P(|Z| > 1.96) = ${tail}, expected 0.05 (SE 0.0005)`);
});

test('int(n) is uniform over 0..n−1 (chi-square)', { timeout: 10_000 }, () => {
  for (const n of [3, 10, 1000, 3_000_000]) {
    const rng = new Rng(n);
    const bins = 10;
    const counts = new Array<number>(bins).fill(0);
    for (let i = 0; i < DRAWS; i++) {
      const k = rng.int(n);
      assert.ok(Number.isInteger(k) && k >= 0 && k < n, `int(${n}) returned ${k}`);
      counts[Math.floor((k * bins) / n)]! += 1;
    }
    // Expected counts per bin are proportional to how many integers fall in it.
    let chi2 = 0;
    for (let b = 0; b < bins; b++) {
      const width = Math.ceil(((b + 1) * n) / bins) - Math.ceil((b * n) / bins);
      const expected = (DRAWS * width) / n;
      if (expected > 0) chi2 += ((counts[b] as number) - expected) ** 2 / expected;
    }
    const df = Math.min(bins, n) - 1;
    // χ² with ≤ 9 df exceeds 30 with probability < 0.0005.
    assert.ok(chi2 < 30, `int(${n}): chi-square ${chi2.toFixed(1)} on ${df} df`);
  }
});

test('sumOfDraws draws every index equally often (one-hot values, chi-square), on both of its paths', { timeout: 20_000 }, () => {
  // With values one-hot at k, a call's sum counts the draws that hit k: over many calls each index
  // must be hit 1/n of the time. n = 3 and 1000 take the two-per-word path, 70_000 the other one.
  for (const [n, calls] of [[3, 60_000], [1000, 200], [70_000, 3]] as const) {
    const rng = new Rng(n + 7);
    const probes = Math.min(n, 10);
    const hits = new Array<number>(probes).fill(0);
    for (let k = 0; k < probes; k++) {
      const values = new Float64Array(n);
      values[Math.floor((k * n) / probes)] = 1;
      for (let c = 0; c < calls; c++) hits[k]! += rng.sumOfDraws(values);
    }
    // Each probe's hit count is Binomial(calls·n, 1/n): mean calls, variance ≈ calls.
    let chi2 = 0;
    for (const h of hits) chi2 += (h - calls) ** 2 / calls;
    // χ² with ≤ 10 df exceeds 32 with probability < 0.0005.
    assert.ok(chi2 < 32, `sumOfDraws(n=${n}): chi-square ${chi2.toFixed(1)} on ${probes} df; hits ${hits.join(', ')}, expected ${calls} each`);
  }
});

test('bad seeds and ranges are refused with a typed error', { timeout: 5_000 }, () => {
  assert.throws(() => new Rng(1.5), InvalidArgumentError);
  assert.throws(() => new Rng(1).int(0), InvalidArgumentError);
  assert.throws(() => new Rng(1).int(2.5), InvalidArgumentError);
});
