import assert from 'node:assert/strict';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import type { ResolvedMix } from '@ballast/schema';
import { tallyPath } from './dedup-tally.js';
import { scanEligibility, selectRecords, type SelectionSource } from './selection.js';
import { registerSource } from './sources/index.js';
import { DOMAINS, regularRecords, removeTempDirs, tempDir, toJsonl, TRAITS, traitRecords, writeSource, type FixtureRecord } from './testing/records.js';

after(removeTempDirs);

type Filter = ResolvedMix['components'][number]['filter'];

function passes(filter: Filter, tags: FixtureRecord['tags']): boolean {
  const ok = (f: { in?: readonly string[]; notIn?: readonly string[] } | undefined, v: string | null): boolean =>
    f === undefined || ((f.in === undefined || (v !== null && f.in.includes(v))) && (f.notIn === undefined || v === null || !f.notIn.includes(v)));
  return ok(filter.kind, tags.kind) && ok(filter.trait, tags.trait) && ok(filter.domain, tags.domain);
}

describe('eligibility', () => {
  it('gives each record to the first matching component and counts later matches as lost, for any number of components (property)', async () => {
    const dir = await tempDir();
    // Distinct contents (no duplicates), 9 (trait, domain) cells of 20 records each.
    const records = traitRecords(180);
    const file = await writeSource(dir, 'traits', toJsonl(records));
    const registration = await registerSource({ path: file.path, storeDir: join(dir, 'store') });
    const filter = fc.record(
      {
        trait: fc.record({ in: fc.subarray([...TRAITS], { minLength: 1 }) }, { requiredKeys: [] }),
        domain: fc.oneof(fc.record({ in: fc.subarray([...DOMAINS], { minLength: 1 }) }), fc.record({ notIn: fc.subarray([...DOMAINS]) })),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(filter, { minLength: 1, maxLength: 70, size: 'max' }), async (filters) => {
        const mix = {
          totalRecords: 1,
          seed: 1,
          dedup: true,
          decontaminate: null,
          output: { formats: ['jsonl'], shardBytes: 1 << 30 },
          components: filters.map((f, i) => ({ name: `c${i}`, dataset: 'traits', fraction: null, count: 1, filter: f as Filter, upsample: null })),
        } as ResolvedMix;
        const stats = await scanEligibility({ mix, sources: [{ dataset: 'traits', registration }] });
        const eligible = filters.map(() => 0);
        const lost = filters.map(() => 0);
        for (const r of records) {
          const matching = filters.flatMap((f, i) => (passes(f as Filter, r.tags) ? [i] : []));
          if (matching.length === 0) continue;
          eligible[matching[0]!]! += 1;
          for (const i of matching.slice(1)) lost[i]! += 1;
        }
        assert.deepEqual(stats.eligible, eligible);
        assert.deepEqual(stats.lostToEarlier, lost);
      }),
      { numRuns: 40 },
    );
  });
});

describe('deduplication tallies', () => {
  function mixOf(components: { dataset: string; filter: Filter }[], dedup = true): ResolvedMix {
    return {
      totalRecords: 20,
      seed: 3,
      dedup,
      decontaminate: null,
      output: { formats: ['jsonl'], shardBytes: 1 << 30 },
      components: components.map((c, i) => ({ name: `c${i}`, dataset: c.dataset, fraction: null, count: 10, filter: c.filter, upsample: null })),
    } as ResolvedMix;
  }

  async function twoSources(): Promise<SelectionSource[]> {
    const dir = await tempDir();
    const store = join(dir, 'store');
    const regular = regularRecords(120);
    // The second source repeats 30 of the first's records (under other ids) and some of its own.
    const copies = regular.slice(0, 30).map((r) => ({ ...r, id: `${r.id}-copy` }));
    const traits = traitRecords(90);
    const a = await writeSource(dir, 'a', toJsonl([...regular, regular[5]!]));
    const b = await writeSource(dir, 'b', toJsonl([...copies, ...traits, traits[7]!]));
    return [
      { dataset: 'a', registration: await registerSource({ path: a.path, storeDir: store }) },
      { dataset: 'b', registration: await registerSource({ path: b.path, storeDir: store }) },
    ];
  }

  async function removeTallies(sources: readonly SelectionSource[]): Promise<void> {
    for (const s of sources) await rm(join(dirname(s.registration.indexPath), 'dedup'), { recursive: true, force: true });
  }

  it('are kept per ordered source list and give later mixes, with other filters, the stats a full pass gives', async () => {
    const sources = await twoSources();
    const first = mixOf([{ dataset: 'a', filter: {} }, { dataset: 'b', filter: { trait: { in: ['honesty'] } } }]);
    const firstStats = await scanEligibility({ mix: first, sources });
    assert.deepEqual(firstStats.duplicatesBySource, [1, 31]);
    const paths = sources.map((_, s) => tallyPath(sources.slice(0, s + 1).map((x) => x.registration)));
    for (const path of paths) assert.ok((await readdir(dirname(path))).includes(path.split('/').at(-1)!), 'tally written');

    const second = mixOf([{ dataset: 'a', filter: { domain: { in: ['law'] } } }, { dataset: 'b', filter: { domain: { notIn: ['law'] } } }]);
    const fromTallies = await scanEligibility({ mix: second, sources });
    await removeTallies(sources);
    const fromScratch = await scanEligibility({ mix: second, sources });
    assert.deepEqual(fromTallies, fromScratch);
    // And the picks made from them.
    const requested = [10, 10];
    const picks = async (stats: typeof fromTallies) => (await selectRecords({ mix: second, sources, requested, stats })).picks.map((p) => [...p.offset.subarray(0, p.size)]);
    assert.deepEqual(await picks(fromTallies), await picks(fromScratch));
  });

  it('are keyed by source order, since the first occurrence of a duplicate is the one kept', async () => {
    const sources = await twoSources();
    await scanEligibility({ mix: mixOf([{ dataset: 'a', filter: {} }, { dataset: 'b', filter: {} }]), sources });
    const reversed = [sources[1]!, sources[0]!];
    const stats = await scanEligibility({ mix: mixOf([{ dataset: 'b', filter: {} }, { dataset: 'a', filter: {} }]), sources: reversed });
    // b first: its own repeat is the only duplicate in it; a then loses the 30 records b has too.
    assert.deepEqual(stats.duplicatesBySource, [1, 31]);
    assert.deepEqual(stats.eligible, [120, 90]);
  });

  it('a damaged tally is ignored and recomputed', async () => {
    const sources = await twoSources();
    const mix = mixOf([{ dataset: 'a', filter: {} }, { dataset: 'b', filter: {} }]);
    const expected = await scanEligibility({ mix, sources });
    for (const [s] of sources.entries()) await writeFile(tallyPath(sources.slice(0, s + 1).map((x) => x.registration)), 'not a tally');
    assert.deepEqual(await scanEligibility({ mix, sources }), expected);
  });
});
