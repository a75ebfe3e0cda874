import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from '../errors.js';
import { minimumDetectableEffect, planMinimumDetectableEffect, plannedStandardError, probabilityOfImproved } from './power.js';
import { Rng } from './rng.js';

const close = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} ± ${tol}`);

test("the issue's sanity figure: a CI half-width of 0.030 gives an MDE near 0.042 at 80% power", { timeout: 5_000 }, () => {
  // 0.030/1.96 · (1.96 + 0.8416) = 0.0429.
  const se = 0.03 / 1.959963984540054;
  const mde = minimumDetectableEffect({ se });
  close(mde, (0.03 / 1.959963984540054) * (1.959963984540054 + 0.8416212335729143), 1e-9, 'normal MDE');
  assert.ok(mde > 0.04 && mde < 0.045, `MDE ${mde} is not near 0.042`);
  // With 999 df (1,000 items) the t form barely differs.
  close(minimumDetectableEffect({ se, df: 999 }), mde, 0.0002, 't MDE on 999 df vs normal');
});

test('power at the MDE is about 1 − β, and the exact power matches its normal limit', { timeout: 5_000 }, () => {
  for (const df of [30, 100, 1000]) {
    const mde = minimumDetectableEffect({ se: 1, df });
    const power = probabilityOfImproved({ effect: mde, se: 1, df });
    close(power, 0.8, 0.01, `exact power at the t-form MDE on ${df} df`);
  }
  close(probabilityOfImproved({ effect: 2.8, se: 1 }), 0.7995, 0.0005, 'normal power at δ = 2.8');
  close(probabilityOfImproved({ effect: 2.8, se: 1, df: 1e6 }), probabilityOfImproved({ effect: 2.8, se: 1 }), 1e-4, 'huge df vs normal');
  // Under the null, "improved" happens α/2 of the time.
  close(probabilityOfImproved({ effect: 0, se: 1, df: 9 }), 0.025, 1e-6, 'P(improved | no effect) on 9 df');
});

test('the SE planner combines samples, clustering and seeds as documented', { timeout: 5_000 }, () => {
  // σ²_d = 0.02 + 0.08/4 = 0.04; n = 100: SE = 0.02.
  const flat = plannedStandardError({ items: 100, samplesPerItem: 4, betweenItemVariance: 0.02, withinItemVariance: 0.08 });
  close(flat.itemVariance, 0.04, 1e-15, 'item variance');
  close(flat.se, 0.02, 1e-15, 'unclustered SE');
  assert.equal(flat.df, 99);
  assert.equal(flat.covers, 'items');
  // Clusters of 5 with ρ = 0.25: design effect 2, so SE·√2 and 20 − 1 df.
  const clustered = plannedStandardError({ items: 100, samplesPerItem: 4, betweenItemVariance: 0.02, withinItemVariance: 0.08, clusterSize: 5, icc: 0.25 });
  close(clustered.designEffect, 2, 1e-15, 'design effect');
  close(clustered.se, 0.02 * Math.SQRT2, 1e-15, 'clustered SE');
  assert.equal(clustered.df, 19);
  // Four seeds, σ²_seed = 0.0004: V = (0.0004 + 0.0004)/4, SE = √0.0002, df 3.
  const seeds = planMinimumDetectableEffect({ items: 100, samplesPerItem: 4, betweenItemVariance: 0.02, withinItemVariance: 0.08, seeds: 4, betweenSeedVariance: 0.0004 });
  close(seeds.se, Math.sqrt(0.0002), 1e-15, 'seed-level SE');
  assert.equal(seeds.df, 3);
  assert.equal(seeds.covers, 'seeds-and-items');
  // t_{0.975, 3} = 3.182446, t_{0.8, 3} = 0.978472.
  close(seeds.mde, (3.182446305284263 + 0.9784723123633045) * Math.sqrt(0.0002), 1e-8, 'MDE on 3 df');
  assert.throws(() => plannedStandardError({ items: 1, samplesPerItem: 1, betweenItemVariance: 1, withinItemVariance: 1 }), InvalidArgumentError);
  assert.throws(() => plannedStandardError({ items: 10, samplesPerItem: 1, betweenItemVariance: 1, withinItemVariance: 1, clusterSize: 6 }), InvalidArgumentError);
});

test('the planned SE matches the spread of simulated estimates from the same components', { timeout: 20_000 }, () => {
  // Items in clusters of 3 with ICC 0.3 of the sample-averaged difference, 4 samples per item, 5 seeds.
  const design = { items: 60, samplesPerItem: 4, betweenItemVariance: 0.5, withinItemVariance: 2, clusterSize: 3, icc: 0.3, seeds: 5, betweenSeedVariance: 0.01 };
  const planned = plannedStandardError(design);
  const itemVariance = design.betweenItemVariance + design.withinItemVariance / design.samplesPerItem; // 1.0
  const clusterSd = Math.sqrt(design.icc * itemVariance);
  const itemSd = Math.sqrt(design.betweenItemVariance - design.icc * itemVariance);
  const sampleSd = Math.sqrt(design.withinItemVariance);
  const rng = new Rng(2024);
  const simulations = 4000;
  let sum = 0;
  let sumSq = 0;
  for (let sim = 0; sim < simulations; sim++) {
    let overSeeds = 0;
    for (let s = 0; s < design.seeds; s++) {
      let total = rng.normal() * Math.sqrt(design.betweenSeedVariance) * design.items;
      for (let g = 0; g < design.items / design.clusterSize; g++) {
        const cluster = clusterSd * rng.normal();
        for (let j = 0; j < design.clusterSize; j++) {
          let samples = 0;
          for (let k = 0; k < design.samplesPerItem; k++) samples += sampleSd * rng.normal();
          total += cluster + itemSd * rng.normal() + samples / design.samplesPerItem;
        }
      }
      overSeeds += total / design.items;
    }
    const estimate = overSeeds / design.seeds;
    sum += estimate;
    sumSq += estimate * estimate;
  }
  const sd = Math.sqrt((sumSq - (sum * sum) / simulations) / (simulations - 1));
  // The SD of an SD estimate from 4,000 draws is about 1.1%; allow 4%.
  close(sd / planned.se, 1, 0.04, `simulated SD ${sd.toFixed(5)} over planned SE ${planned.se.toFixed(5)}`);
});
