import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benchmarkEstimate } from './benchmark-estimate.js';
import { probabilityOfImproved } from './power.js';
import { Rng } from './rng.js';
import { drawSeedPairs, type SyntheticDesign, syntheticLayout } from './synthetic-benchmark.js';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

function improvedRate(design: SyntheticDesign, simulations: number, seed: number): number {
  const layout = syntheticLayout(design);
  const rng = new Rng(seed);
  let improved = 0;
  for (let sim = 0; sim < simulations; sim++) {
    const r = benchmarkEstimate({ direction: 'higher_is_better', seedPairs: drawSeedPairs(rng, design, layout) });
    if (r.verdict === 'improved') improved++;
  }
  return improved / simulations;
}

test('with a known effect, "improved" comes at the rate the noncentral t gives (one seed pair)', { timeout: 60_000 }, (t) => {
  // σ_d = √2 per item, n = 60: true SE √(2/60) = 0.183; effect 0.4 is δ = 2.19 on 59 df.
  const design: SyntheticDesign = { trueEffect: 0.4, items: 60, seeds: 1, difficultySd: 1, noiseSd: 1 };
  const simulations = 2000;
  const theory = probabilityOfImproved({ effect: 0.4, se: Math.sqrt(2 / 60), df: 59 });
  const observed = improvedRate(design, simulations, 404);
  t.diagnostic(`power, one seed pair: observed ${pct(observed)}, theoretical ${pct(theory)}`);
  // Monte Carlo SE √(0.58·0.42/2000) ≈ 1.1 points; ±3 points is nearly three of them.
  assert.ok(Math.abs(observed - theory) <= 0.03, `"improved" in ${pct(observed)} of runs; theory says ${pct(theory)}`);
});

test('with a known effect and seeds as replicates, "improved" comes at the noncentral-t rate on S − 1 df', { timeout: 60_000 }, (t) => {
  // Var(Δ_s) = 2·0.15² (seeds) + 2/60 (items) = 0.0783; S = 5: true SE √(0.0783/5) = 0.125, df 4.
  const design: SyntheticDesign = { trueEffect: 0.4, items: 60, seeds: 5, difficultySd: 1, noiseSd: 1, seedSd: 0.15 };
  const simulations = 2000;
  const se = Math.sqrt((2 * 0.15 ** 2 + 2 / 60) / 5);
  const theory = probabilityOfImproved({ effect: 0.4, se, df: 4 });
  const observed = improvedRate(design, simulations, 505);
  t.diagnostic(`power, five seed pairs: observed ${pct(observed)}, theoretical ${pct(theory)}`);
  assert.ok(Math.abs(observed - theory) <= 0.03, `"improved" in ${pct(observed)} of runs; theory says ${pct(theory)}`);
});
