import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from './errors.js';
import { normalQuantile } from './normal.js';
import { tCdf, tQuantile } from './student-t.js';

// Reference values from standard tables, checked against mpmath at 30 digits.
const KNOWN: [p: number, df: number, t: number][] = [
  [0.975, 1, 12.7062047361747],
  [0.975, 2, 4.30265272974946],
  [0.975, 4, 2.77644510519779],
  [0.975, 10, 2.228138851986],
  [0.975, 30, 2.04227245630124],
  [0.975, 3.5, 2.94008863798273],
  [0.995, 5, 4.03214298355523],
  [0.95, 3, 2.35336343480182],
  [0.9, 2, 1.88561808316413],
  [0.975, 100_000, 1.95998770753461],
  [0.975, 1e6, 1.95996635681411],
  [0.975, Infinity, 1.95996398454005],
];

test('tQuantile matches known values to 1e-6', () => {
  for (const [p, df, t] of KNOWN) {
    const got = tQuantile(p, df);
    assert.ok(Math.abs(got - t) < 1e-6, `t(${p}, ${df}) = ${got}, expected ${t}`);
  }
});

test('tQuantile is symmetric and inverts tCdf', () => {
  for (const df of [1.5, 3, 7, 25, 120, 5000]) {
    for (const p of [0.001, 0.025, 0.3, 0.6, 0.95, 0.9995]) {
      const t = tQuantile(p, df);
      assert.ok(Math.abs(tQuantile(1 - p, df) + t) < 1e-9, `symmetry at p=${p}, df=${df}`);
      assert.ok(Math.abs(tCdf(t, df) - p) < 1e-10, `tCdf(tQuantile(${p}, ${df})) = ${tCdf(t, df)}`);
    }
  }
  assert.equal(tQuantile(0.5, 9), 0);
});

test('tQuantile approaches the normal quantile as df grows', () => {
  assert.ok(Math.abs(tQuantile(0.975, 1e9) - 1.959963984540054) < 1e-8);
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963984540054) < 1e-8);
  assert.ok(Math.abs(normalQuantile(0.001) + 3.090232306167813) < 1e-8);
});

test('tQuantile rejects probabilities and df outside their domain', () => {
  assert.throws(() => tQuantile(1, 5), InvalidArgumentError);
  assert.throws(() => tQuantile(0, 5), InvalidArgumentError);
  assert.throws(() => tQuantile(0.5, 0), InvalidArgumentError);
  assert.throws(() => tQuantile(Number.NaN, 5), InvalidArgumentError);
});
