import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coverageFromCounts } from './coverage.js';

const counts = [
  { trait: 'honesty', domain: 'law', count: 5 },
  { trait: 'honesty', domain: 'healthcare', count: 2 },
  { trait: 'fairness', domain: 'law', count: 3 },
  { trait: null, domain: 'science', count: 10 },
  { trait: 'fairness', domain: 'science', count: 0 },
];

describe('coverageFromCounts', () => {
  it('counts by trait × domain with regular prompts under none, keys sorted, totals', () => {
    const r = coverageFromCounts(counts, []);
    assert.deepEqual(r.byTraitDomain, { fairness: { law: 3 }, honesty: { healthcare: 2, law: 5 }, none: { science: 10 } });
    assert.deepEqual(Object.keys(r.byTraitDomain), ['fairness', 'honesty', 'none']);
    assert.deepEqual(r.totals, { records: 20, byTrait: { fairness: 3, honesty: 7, none: 10 }, byDomain: { healthcare: 2, law: 8, science: 10 } });
    assert.deepEqual(r.warnings, []);
  });

  it('warns when a requested slice is empty, naming the component', () => {
    const r = coverageFromCounts(counts, [
      { component: 'health-traits', traits: ['fairness'], domains: ['healthcare'] },
      { component: 'regular', traits: ['none'] },
      { component: 'all-traits', domains: ['law'] },
    ]);
    assert.deepEqual(
      r.slices.map((s) => [s.component, s.records]),
      [
        ['health-traits', 0],
        ['regular', 10],
        ['all-traits', 8],
      ],
    );
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0] ?? '', /component 'health-traits'.*trait in \{fairness\} × domain in \{healthcare\} has no selected records/);
  });

  it('warns about each empty cell of a partly covered slice', () => {
    const r = coverageFromCounts(counts, [{ component: 'traits', traits: ['honesty', 'fairness'], domains: ['healthcare', 'law'] }]);
    assert.equal(r.slices[0]?.records, 10);
    assert.deepEqual(r.slices[0]?.emptyCells, [{ trait: 'fairness', domain: 'healthcare' }]);
    assert.deepEqual(r.warnings, ["component 'traits': no selected records for trait 'fairness' × domain 'healthcare'"]);
  });

  it('an open slice over an empty mix warns too', () => {
    assert.equal(coverageFromCounts([], [{ component: 'anything' }]).warnings.length, 1);
  });
});
