import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from '../errors.js';
import { tQuantile } from '../student-t.js';
import { derSimonianLaird, pairedStandardisedEffect, type RandomEffectsSummary } from './random-effects.js';

const close = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} ± ${tol}`);

const summary = (r: ReturnType<typeof derSimonianLaird>): RandomEffectsSummary => {
  assert.equal(r.kind, 'summary', 'expected an estimate, got insufficient data');
  return r as RandomEffectsSummary;
};

// Three studies: y = (0, 1, 2), v = (1/4, 1/4, 1/2), so w = (4, 4, 2).
const STUDIES = [
  { effect: 0, variance: 0.25 },
  { effect: 1, variance: 0.25 },
  { effect: 2, variance: 0.5 },
];

test('DerSimonian–Laird reproduces a hand-computed τ², Q, I² and pooled mean', { timeout: 5_000 }, () => {
  // Σw = 10, Σw² = 36, ȳ_w = (0 + 4 + 4)/10 = 0.8.
  // Q = 4·0.8² + 4·0.2² + 2·1.2² = 2.56 + 0.16 + 2.88 = 5.6; C = 10 − 36/10 = 6.4.
  // τ² = (5.6 − 2)/6.4 = 0.5625; I² = 3.6/5.6 = 9/14.
  // w* = 1/(0.25 + 0.5625) = 16/13 (twice) and 1/(0.5 + 0.5625) = 16/17: Σw* = 752/221, Σw*y = 688/221.
  const r = summary(derSimonianLaird(STUDIES, { interval: 'normal' }));
  close(r.q, 5.6, 1e-12, 'Q');
  close(r.tau2, 0.5625, 1e-12, 'τ²');
  close(r.i2, 9 / 14, 1e-12, 'I²');
  close(r.mean, 688 / 752, 1e-12, 'pooled mean');
  close(r.se, Math.sqrt(221 / 752), 1e-12, 'normal SE = 1/√Σw*');
  close(r.ciLow, 688 / 752 - 1.959963984540054 * Math.sqrt(221 / 752), 1e-8, 'normal lower bound');
  assert.equal(r.df, Infinity, 'the normal interval has infinite df');
  assert.equal(r.k, 3);
});

test('the Hartung–Knapp interval uses the weighted spread about μ̂ on k − 1 df', { timeout: 5_000 }, () => {
  const mu = 688 / 752;
  const wStar = [16 / 13, 16 / 13, 16 / 17];
  const spread = wStar.reduce((acc, w, i) => acc + w * ((STUDIES[i]!.effect - mu) ** 2), 0);
  const q = spread / 2;
  const seHk = Math.sqrt(Math.max(1, q) / (752 / 221));
  const r = summary(derSimonianLaird(STUDIES));
  assert.equal(r.interval, 'hartung-knapp', 'Hartung–Knapp is the default');
  assert.equal(r.df, 2);
  close(r.se, seHk, 1e-12, 'Hartung–Knapp SE');
  close(r.ciHigh, mu + tQuantile(0.975, 2) * seHk, 1e-9, 'Hartung–Knapp upper bound');
  const normal = summary(derSimonianLaird(STUDIES, { interval: 'normal' }));
  assert.ok(r.ciHigh - r.ciLow >= normal.ciHigh - normal.ciLow, 'Hartung–Knapp with max(1, q) is never narrower than the normal interval');
});

test('homogeneous effects give τ² = 0 and the fixed-effect mean', { timeout: 5_000 }, () => {
  // Q = 4·0.01 + 4·0.01 = 0.08 < k − 1 = 1, so τ² truncates at 0 and I² at 0.
  const r = summary(derSimonianLaird([{ effect: 0.4, variance: 0.25 }, { effect: 0.6, variance: 0.25 }], { interval: 'normal' }));
  assert.equal(r.tau2, 0, 'τ² should truncate at 0');
  assert.equal(r.i2, 0, 'I² should truncate at 0');
  close(r.mean, 0.5, 1e-12, 'mean');
  close(r.se, Math.sqrt(1 / 8), 1e-12, 'SE = 1/√Σw');
});

test('fewer than two effects is insufficient data; bad variances are refused', { timeout: 5_000 }, () => {
  const one = derSimonianLaird([{ effect: 1, variance: 0.1 }]);
  assert.equal(one.kind, 'insufficient_data', 'one study pooled');
  assert.equal(derSimonianLaird([]).kind, 'insufficient_data', 'no studies pooled');
  assert.throws(() => derSimonianLaird([{ effect: 1, variance: 0 }, { effect: 1, variance: 1 }]), InvalidArgumentError);
});

test('the paired standardised effect d_z and its variance 1/n + d²/(2n)', { timeout: 5_000 }, () => {
  const e = pairedStandardisedEffect({ delta: 0.1, sdOfDifferences: 0.4, items: 50 });
  assert.ok(e !== null, 'no effect computed');
  close(e.effect, 0.25, 1e-15, 'd_z');
  close(e.variance, 1 / 50 + 0.0625 / 100, 1e-15, 'var(d_z)');
  // With the comparison's own (say cluster-robust) SE, twice the naive 0.4/√50:
  const clustered = pairedStandardisedEffect({ delta: 0.1, sdOfDifferences: 0.4, items: 50, se: (2 * 0.4) / Math.sqrt(50) });
  close(clustered!.variance, 4 / 50 + 0.0625 / 100, 1e-15, 'var(d_z) with a clustered SE');
  assert.equal(pairedStandardisedEffect({ delta: 0, sdOfDifferences: 0, items: 50 }), null, 'SD 0 standardised');
  assert.equal(pairedStandardisedEffect({ delta: 1, sdOfDifferences: 1, items: 1 }), null, 'one item standardised');
});
