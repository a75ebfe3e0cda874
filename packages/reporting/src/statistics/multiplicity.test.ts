import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from '../errors.js';
import { benjaminiHochbergAdjust, countSignificant, holmAdjust } from './multiplicity.js';
import { Rng } from './rng.js';

const closeAll = (actual: readonly (number | null)[], expected: readonly (number | null)[], what: string): void => {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((a, i) => {
    const e = expected[i] ?? null;
    if (e === null) assert.equal(a, null, `${what}[${i}]: expected null, got ${a}`);
    else assert.ok(a !== null && Math.abs(a - e) < 1e-12, `${what}[${i}]: got ${a}, expected ${e}`);
  });
};

test('Holm matches a hand-computed example, in input order', { timeout: 5_000 }, () => {
  // Sorted: 0.005·4 = 0.02; 0.01·3 = 0.03; 0.03·2 = 0.06; 0.04·1 = 0.04 → max so far 0.06.
  closeAll(holmAdjust([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02], 'Holm');
  // Capped at 1, and monotone after capping.
  closeAll(holmAdjust([0.6, 0.9]), [1, 1], 'Holm capped');
  closeAll(holmAdjust([]), [], 'Holm of nothing');
});

test('Benjamini–Hochberg matches a hand-computed example, in input order', { timeout: 5_000 }, () => {
  // m·p/j: 4·0.005/1 = 0.02, 4·0.01/2 = 0.02, 4·0.03/3 = 0.04, 4·0.04/4 = 0.04; running min from the top.
  closeAll(benjaminiHochbergAdjust([0.01, 0.04, 0.03, 0.005]), [0.02, 0.04, 0.04, 0.02], 'BH');
  // Step-up: 0.05·3/2 = 0.075 is lowered to the last one's 0.06.
  closeAll(benjaminiHochbergAdjust([0.06, 0.05, 0.01]), [0.06, 0.06, 0.03], 'BH step-up');
  closeAll(benjaminiHochbergAdjust([0.6, 0.9]), [0.9, 0.9], 'BH');
});

test('nulls pass through and do not count towards m', { timeout: 5_000 }, () => {
  // Two real tests: Holm 2·0.01 = 0.02, then max(0.02, 0.04) = 0.04.
  closeAll(holmAdjust([null, 0.04, null, 0.01]), [null, 0.04, null, 0.02], 'Holm with nulls');
  closeAll(benjaminiHochbergAdjust([null, 0.04, null, 0.01]), [null, 0.04, null, 0.02], 'BH with nulls');
  closeAll(holmAdjust([null, null]), [null, null], 'Holm of nulls only');
});

test('adjusted p-values are ≥ raw, ≤ 1, monotone in the raw order, and Holm ≥ BH', { timeout: 10_000 }, () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 200; trial++) {
    const m = 1 + rng.int(60);
    const raw = Array.from({ length: m }, () => (rng.uniform() < 0.1 ? null : rng.uniform() ** 3));
    const holm = holmAdjust(raw);
    const bh = benjaminiHochbergAdjust(raw);
    const present = raw.map((p, i) => ({ p, i })).filter((x): x is { p: number; i: number } => x.p !== null);
    present.sort((a, b) => a.p - b.p);
    for (let r = 0; r < present.length; r++) {
      const { p, i } = present[r]!;
      const h = holm[i] as number;
      const b = bh[i] as number;
      assert.ok(h >= p && h <= 1 && b >= p && b <= 1, `trial ${trial}: p ${p} adjusted to Holm ${h}, BH ${b}`);
      assert.ok(h >= b - 1e-15, `trial ${trial}: Holm ${h} below BH ${b}`);
      if (r > 0) {
        const prev = present[r - 1]!.i;
        assert.ok(h >= (holm[prev] as number) && b >= (bh[prev] as number), `trial ${trial}: adjustment not monotone at rank ${r}`);
      }
    }
  }
});

test('countSignificant splits by sign of Δ and skips nulls', { timeout: 5_000 }, () => {
  const counts = countSignificant([0.01, 0.01, 0.2, null, 0.05], [0.3, -0.1, 0.5, 0.9, 0.2], 0.05);
  assert.deepEqual(counts, { improved: 1, regressed: 1, noChange: 2, untested: 1, tested: 4 }, 'p = 0.05 is not < 0.05');
  assert.throws(() => countSignificant([0.01], [1, 2], 0.05), InvalidArgumentError);
  assert.throws(() => countSignificant([0.01], [1], 1), InvalidArgumentError);
  assert.throws(() => holmAdjust([1.5]), InvalidArgumentError);
});
