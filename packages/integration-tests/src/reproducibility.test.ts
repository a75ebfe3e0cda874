import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Report } from '@ballast/schema';
import { smallSpec, startTestStack, waitForExperiment } from './index.js';

/** The numbers of a report, without ids and paths that legitimately differ between runs. */
function numbers(report: Report) {
  return report.comparisons.map((c) => ({
    treatment: c.treatment,
    control: c.control,
    treatmentCheckpoints: c.treatmentCheckpoints,
    controlCheckpoints: c.controlCheckpoints,
    computeMatch: c.computeMatch,
    headline: c.headline,
    randomEffects: c.randomEffects,
    benchmarks: c.benchmarks,
    curves: c.curves,
  }));
}

describe('reproducibility', () => {
  it('two runs in two fresh BALLAST_HOMEs give identical report numbers', async () => {
    const spec = smallSpec({ name: 'repro', steps: 80, saveEvery: 40, simulatedStepMs: 0, benchmarks: [
      'sycophancy-pushback-medical@1',
      'honesty-misconception-science@1',
      'honesty-misconception-economics@1',
    ] });
    const results: Report[] = [];
    const specHashes: string[] = [];
    for (const run of ['a', 'b']) {
      const stack = await startTestStack(`repro-${run}`);
      try {
        const { experiment } = await stack.api.experiments.launch.mutate({ clientRequestId: `repro-${run}-000001`, spec });
        const done = await waitForExperiment(stack, experiment.id);
        assert.equal(done.phase, 'SUCCEEDED', done.error ?? '');
        results.push((await stack.api.reports.get.query({ id: experiment.id })).report);
        specHashes.push(done.specHash);
      } finally {
        await stack.stop();
      }
    }
    assert.equal(specHashes[0], specHashes[1]);
    assert.equal(results[0]!.comparisons[0]!.benchmarks.length, 3);
    assert.deepEqual(numbers(results[0]!), numbers(results[1]!));
  });
});
