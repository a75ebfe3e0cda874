import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benchmarkEstimate } from './benchmark-estimate.js';
import { benjaminiHochbergAdjust, countSignificant, holmAdjust } from './multiplicity.js';
import { Rng } from './rng.js';
import { drawSeedPairs, type SyntheticDesign, syntheticLayout } from './synthetic-benchmark.js';

const EXPERIMENTS = 500;
const BENCHMARKS = 53;
const ALPHA = 0.05;

// 60 items in 20 conversations of 1–5 items, correlated within a conversation; no true effect anywhere.
const NULL_BENCHMARK: SyntheticDesign = {
  trueEffect: 0,
  clusterSizes: [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5],
  seeds: 1,
  difficultySd: 1,
  noiseSd: 1,
  conversationSd: 0.5,
};

test('under a global null, Holm keeps the family-wise false "improved" rate at most 6.95%; unadjusted does not', { timeout: 60_000 }, (t) => {
  const rng = new Rng(20240609);
  const layout = syntheticLayout(NULL_BENCHMARK);
  let holmFalse = 0;
  let bhFalse = 0;
  let rawFalse = 0;
  for (let experiment = 0; experiment < EXPERIMENTS; experiment++) {
    const estimates = Array.from({ length: BENCHMARKS }, () =>
      benchmarkEstimate({ direction: 'higher_is_better', seedPairs: drawSeedPairs(rng, NULL_BENCHMARK, layout) }),
    );
    const pValues = estimates.map((e) => e.pValue);
    const deltas = estimates.map((e) => e.delta ?? 0);
    if (countSignificant(holmAdjust(pValues), deltas, ALPHA).improved > 0) holmFalse++;
    if (countSignificant(benjaminiHochbergAdjust(pValues), deltas, ALPHA).improved > 0) bhFalse++;
    if (countSignificant(pValues, deltas, ALPHA).improved > 0) rawFalse++;
  }
  const holm = holmFalse / EXPERIMENTS;
  const bh = bhFalse / EXPERIMENTS;
  const raw = rawFalse / EXPERIMENTS;
  t.diagnostic(`experiments with ≥ 1 false "improved" of ${BENCHMARKS}: Holm ${pct(holm)}, BH ${pct(bh)}, unadjusted ${pct(raw)}`);
  // 5% plus two Monte Carlo SEs at 500 experiments (√(0.05·0.95/500) ≈ 0.97%).
  assert.ok(holm <= 0.0695, `Holm family-wise false "improved" rate ${pct(holm)} exceeds 6.95%`);
  // Under the global null the FDR is the FWER, so BH must hold the same bound.
  assert.ok(bh <= 0.0695, `BH family-wise false "improved" rate ${pct(bh)} exceeds 6.95%`);
  // 1 − 0.975^53 ≈ 74%: the same test on unadjusted p-values fails, so the bound above has teeth.
  assert.ok(raw > 0.6, `unadjusted family-wise false "improved" rate ${pct(raw)}; expected about 74%`);
});

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
