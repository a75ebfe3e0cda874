import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { NO_TRAIT, TagTally } from './tag-counts.js';

const dictionaries = [
  { kind: ['regular', 'trait'], trait: [null, 'honesty', 'fairness'], domain: ['law', 'math', '2024'] },
  { kind: ['trait'], trait: ['fairness', 'honesty', null], domain: ['science', 'law'] },
];

test('TagTally names the counts, keys in order of first appearance, as counting by name would (property)', () => {
  const record = fc.nat(1).chain((source) => {
    const d = dictionaries[source]!;
    return fc.tuple(fc.constant(source), fc.nat(d.kind.length - 1), fc.nat(d.trait.length - 1), fc.nat(d.domain.length - 1));
  });
  fc.assert(
    fc.property(fc.array(record, { maxLength: 60 }), (records) => {
      const tally = new TagTally(dictionaries);
      const counts = { kind: {} as Record<string, number>, trait: {} as Record<string, number>, domain: {} as Record<string, number> };
      const byTraitDomain: Record<string, Record<string, number>> = {};
      for (const [source, kind, trait, domain] of records) {
        tally.add(source, kind, trait, domain);
        const d = dictionaries[source]!;
        const k = d.kind[kind]!;
        const t = d.trait[trait] ?? NO_TRAIT;
        const m = d.domain[domain]!;
        counts.kind[k] = (counts.kind[k] ?? 0) + 1;
        counts.trait[t] = (counts.trait[t] ?? 0) + 1;
        counts.domain[m] = (counts.domain[m] ?? 0) + 1;
        const row = (byTraitDomain[t] ??= {});
        row[m] = (row[m] ?? 0) + 1;
      }
      const named = tally.named();
      // Same keys in the same order (JSON.stringify keeps insertion order), same numbers.
      assert.equal(JSON.stringify(named.counts), JSON.stringify(counts));
      assert.equal(JSON.stringify(named.byTraitDomain), JSON.stringify(byTraitDomain));
    }),
    { numRuns: 200 },
  );
});
