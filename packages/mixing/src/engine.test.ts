import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import type { ResolvedMix } from '@ballast/schema';
import { buildMix, previewMix, type MixSourceInput } from './engine.js';
import { MixAbortedError, MixComponentShortError } from './errors.js';
import { registerSource } from './sources/index.js';
import { regularRecords, removeTempDirs, tempDir, toJsonl, traitRecords, writeSource } from './testing/records.js';

after(removeTempDirs);

function mixOf(components: Partial<ResolvedMix['components'][number]>[], total: number, extra: Partial<ResolvedMix> = {}): ResolvedMix {
  return {
    totalRecords: total,
    seed: 7,
    dedup: true,
    decontaminate: null,
    output: { formats: ['jsonl'], shardBytes: 1024 ** 3 },
    components: components.map((c, i) => ({
      name: c.name ?? `c${i}`,
      dataset: c.dataset ?? 'regular',
      fraction: c.fraction ?? null,
      count: c.count ?? null,
      filter: c.filter ?? {},
      upsample: c.upsample ?? null,
    })),
    ...extra,
  };
}

async function sourcesFor(regular = 600, traits = 360, threads?: number): Promise<{ dir: string; sources: MixSourceInput[] }> {
  const dir = await tempDir();
  const store = join(dir, 'store');
  const inputs: MixSourceInput[] = [];
  for (const [name, records] of [['regular', regularRecords(regular)], ['traits', traitRecords(traits)]] as const) {
    const file = await writeSource(dir, name, toJsonl(records));
    const registration = await registerSource({ path: file.path, storeDir: store, ...(threads ? { threads } : {}) });
    inputs.push({ dataset: name, uri: file.uri, registration });
  }
  return { dir, sources: inputs };
}

function outputLines(dir: string): { id: string; tags: { kind: string; trait: string | null; domain: string } }[] {
  const jsonl = join(dir, 'jsonl');
  return readdirSync(jsonl)
    .sort()
    .flatMap((f) => readFileSync(join(jsonl, f), 'utf8').split('\n').filter(Boolean))
    .map((l) => JSON.parse(l) as { id: string; tags: { kind: string; trait: string | null; domain: string } });
}

describe('mixing engine', () => {
  it('gives each component exactly its count, evenly spread (property)', async () => {
    const { dir, sources } = await sourcesFor(800, 540);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 20, max: 400 }),
        fc.integer({ min: 1, max: 99 }),
        fc.integer({ min: 0, max: 1000 }),
        async (total, percent, seed) => {
          const mix = mixOf(
            [
              { name: 'reg', dataset: 'regular', fraction: 1 - percent / 100 },
              { name: 'tr', dataset: 'traits', fraction: percent / 100 },
            ],
            total,
            { seed },
          );
          const { manifest, dir: out } = await buildMix({ mix, sources, mixesDir: join(dir, `mixes-${run++}`) });
          const lines = outputLines(out);
          assert.equal(lines.length, total);
          const reg = manifest.components[0]!.requested;
          assert.equal(lines.filter((l) => l.id.startsWith('reg-')).length, reg);
          assert.equal(manifest.components[0]!.selected + manifest.components[1]!.selected, total);
          // Two components: every window holds each share within ±1 record.
          const W = Math.min(50, total);
          for (let start = 0; start + W <= total; start++) {
            const n = lines.slice(start, start + W).filter((l) => l.id.startsWith('reg-')).length;
            assert.ok(Math.abs(n - (W * reg) / total) <= 1 + 1e-9, `window at ${start}: ${n} vs ${(W * reg) / total}`);
          }
          assert.ok(manifest.spread.maxDeviation <= 1 + 1e-9);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('spreads any number of components within ±2 records in every window (property)', async () => {
    const { dir, sources } = await sourcesFor(900, 900);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 3, maxLength: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        async (counts, seed) => {
          // Components split the trait records by trait and domain, so each has its own filter.
          const slices = [['honesty', 'healthcare'], ['fairness', 'law'], ['wellbeing', 'science'], ['honesty', 'law'], ['fairness', 'science']] as const;
          const mix = mixOf(
            counts.map((count, i) => ({ name: `s${i}`, dataset: 'traits', count, filter: { trait: { in: [slices[i]![0]] }, domain: { in: [slices[i]![1]] } } })),
            counts.reduce((a, b) => a + b, 0),
            { seed },
          );
          const { dir: out } = await buildMix({ mix, sources, mixesDir: join(dir, `multi-${run++}`) });
          const lines = outputLines(out);
          const total = lines.length;
          const componentOf = (l: (typeof lines)[number]) => slices.findIndex(([t, d]) => l.tags.trait === t && l.tags.domain === d);
          for (const W of [7, 25, Math.min(100, total)]) {
            for (let start = 0; start + W <= total; start++) {
              const window = lines.slice(start, start + W).map(componentOf);
              counts.forEach((n, c) => {
                const got = window.filter((x) => x === c).length;
                assert.ok(Math.abs(got - (W * n) / total) <= 2 + 1e-9, `component ${c} window ${start}+${W}: ${got} vs ${(W * n) / total}`);
              });
            }
          }
        },
      ),
      { numRuns: 10 },
    );
  });

  it('is deterministic: same spec and bytes give the same mix id and identical bytes, for any thread count', async () => {
    const a = await sourcesFor(500, 300, 1);
    const b = await sourcesFor(500, 300, 3);
    const mix = mixOf([{ dataset: 'regular', fraction: 0.9 }, { dataset: 'traits', fraction: 0.1 }], 300);
    const one = await buildMix({ mix, sources: a.sources, mixesDir: join(a.dir, 'mixes') });
    const two = await buildMix({ mix, sources: b.sources, mixesDir: join(b.dir, 'mixes') });
    assert.equal(one.manifest.mixId, two.manifest.mixId);
    assert.deepEqual(one.manifest.outputs, two.manifest.outputs);
    const bytes = (d: string) => readdirSync(join(d, 'jsonl')).map((f) => readFileSync(join(d, 'jsonl', f)));
    assert.deepEqual(bytes(one.dir), bytes(two.dir));
    const shard = one.manifest.outputs[0]!.shards[0]!;
    assert.equal(createHash('sha256').update(readFileSync(join(one.dir, 'jsonl', shard.file))).digest('hex'), shard.sha256.replace(/^sha256:/, ''));
  });

  it('a second request for an existing mix is a cache hit that does no work', async () => {
    const { dir, sources } = await sourcesFor();
    const mix = mixOf([{ dataset: 'regular', fraction: 1 }], 100);
    const first = await buildMix({ mix, sources, mixesDir: join(dir, 'mixes') });
    let progress = 0;
    const second = await buildMix({ mix, sources, mixesDir: join(dir, 'mixes'), onProgress: () => (progress += 1) });
    assert.equal(first.cacheHit, false);
    assert.equal(second.cacheHit, true);
    assert.equal(progress, 0);
    assert.deepEqual(second.manifest, first.manifest);
  });

  it('filters by tags; overlapping filters give records to the first component and count what later ones lost', async () => {
    const { dir, sources } = await sourcesFor(300, 360);
    const mix = mixOf(
      [
        { name: 'honest-law', dataset: 'traits', count: 10, filter: { trait: { in: ['honesty'] }, domain: { in: ['law'] } } },
        { name: 'honest-any', dataset: 'traits', count: 20, filter: { trait: { in: ['honesty'] } } },
        { name: 'no-health', dataset: 'traits', count: 30, filter: { domain: { notIn: ['healthcare'] } } },
      ],
      60,
    );
    const { manifest, dir: out } = await buildMix({ mix, sources, mixesDir: join(dir, 'mixes') });
    const lines = outputLines(out);
    assert.equal(lines.length, 60);
    // 360 trait records: 40 per (trait, domain) pair.
    assert.deepEqual(manifest.components.map((c) => c.eligible), [40, 80, 160]);
    // honesty × {law, science} matched 'no-health' too but went to earlier components.
    assert.deepEqual(manifest.components.map((c) => c.lostToEarlier), [0, 40, 80]);
    assert.ok(lines.every((l) => l.tags.kind === 'trait'));
    assert.equal(lines.filter((l) => l.tags.domain === 'healthcare' && l.tags.trait !== 'honesty').length, 0);
  });

  it('removes exact duplicates across sources and reports them', async () => {
    const dir = await tempDir();
    const store = join(dir, 'store');
    const base = regularRecords(100);
    // Same content under other ids, other key order and other (ASCII) letter case: still duplicates.
    const copies = base
      .slice(0, 30)
      .map((r) => ({ tags: r.tags, messages: r.messages.map((m) => ({ content: m.content.replace(/[a-z]/g, (c) => c.toUpperCase()), role: m.role })), id: `${r.id}-copy` }));
    const a = await writeSource(dir, 'a', toJsonl(base));
    const b = await writeSource(dir, 'b', toJsonl([...copies, ...regularRecords(130).slice(100)]));
    const sources = [
      { dataset: 'a', uri: a.uri, registration: await registerSource({ path: a.path, storeDir: store }) },
      { dataset: 'b', uri: b.uri, registration: await registerSource({ path: b.path, storeDir: store }) },
    ];
    const mix = mixOf([{ name: 'a', dataset: 'a', count: 100 }, { name: 'b', dataset: 'b', count: 30 }], 130);
    const { manifest } = await buildMix({ mix, sources, mixesDir: join(dir, 'mixes') });
    assert.equal(manifest.dedup.removed, 30);
    assert.equal(manifest.sources[1]!.duplicatesRemoved, 30);
    assert.equal(manifest.components[1]!.eligible, 30);
  });

  it('a short component is an error naming it, unless upsampling is allowed (then a warning)', async () => {
    const { dir, sources } = await sourcesFor(100, 90);
    const short = mixOf([{ name: 'reg', dataset: 'regular', count: 100 }, { name: 'few', dataset: 'traits', count: 150 }], 250);
    await assert.rejects(buildMix({ mix: short, sources, mixesDir: join(dir, 'm1') }), (e: unknown) => e instanceof MixComponentShortError && e.component === 'few' && e.eligible === 90);
    const preview = await previewMix({ mix: short, sources });
    assert.equal(preview.components[1]!.shortBy, 60);
    assert.match(preview.error ?? '', /few/);
    const up = mixOf([{ name: 'reg', dataset: 'regular', count: 100 }, { name: 'few', dataset: 'traits', count: 150, upsample: { maxFactor: 2 } }], 250);
    const { manifest, dir: out } = await buildMix({ mix: up, sources, mixesDir: join(dir, 'm2') });
    assert.equal(manifest.components[1]!.selected, 150);
    assert.equal(manifest.components[1]!.upsampled, 60);
    assert.ok(manifest.warnings.some((w) => /upsampled/.test(w)));
    assert.equal(outputLines(out).length, 250);
  });

  it('finds records that overlap benchmark items, and with exclude drops them before selection', async () => {
    const dir = await tempDir();
    const leaked = 'please explain why the committee decided to postpone the vote on the new hospital budget until next spring';
    const itemFile = join(dir, 'bench.items.jsonl');
    writeFileSync(itemFile, `${JSON.stringify({ id: 'b/0', messages: [{ role: 'user', content: leaked }] })}\n`);
    const records = regularRecords(200);
    records[17]!.messages[0]!.content = `Context: ${leaked.toUpperCase()}!`;
    const file = await writeSource(dir, 'regular', toJsonl(records));
    const sources = [{ dataset: 'regular', uri: file.uri, registration: await registerSource({ path: file.path, storeDir: join(dir, 'store') }) }];
    const benchmarkItems = [{ benchmark: 'bench@1', path: itemFile }];
    const check = mixOf([{ dataset: 'regular', count: 200 }], 200, { decontaminate: { ngram: 13, exclude: false } });
    const checked = await buildMix({ mix: check, sources, benchmarkItems, mixesDir: join(dir, 'm1') });
    assert.equal(checked.manifest.contamination?.overlappingRecords, 1);
    assert.deepEqual(checked.manifest.contamination?.examples, [{ recordId: 'reg-17', benchmark: 'bench@1', itemId: 'b/0' }]);
    const exclude = mixOf([{ dataset: 'regular', count: 199 }], 199, { decontaminate: { ngram: 13, exclude: true } });
    const cleaned = await buildMix({ mix: exclude, sources, benchmarkItems, mixesDir: join(dir, 'm2') });
    assert.equal(cleaned.manifest.components[0]!.contaminatedExcluded, 1);
    assert.equal(cleaned.manifest.contamination?.overlappingRecords, 0);
    const ids = outputLines(cleaned.dir).map((l) => l.id);
    assert.equal(ids.length, 199);
    assert.ok(!ids.includes('reg-17'));
  });

  it('cancellation stops promptly and leaves no mix behind', async () => {
    const { dir, sources } = await sourcesFor(3000, 900);
    const controller = new AbortController();
    const mixesDir = join(dir, 'mixes');
    const mix = mixOf([{ dataset: 'regular', fraction: 0.8 }, { dataset: 'traits', fraction: 0.2 }], 3000);
    controller.abort(new Error('stop'));
    await assert.rejects(buildMix({ mix, sources, mixesDir, signal: controller.signal }), MixAbortedError);
    assert.ok(!existsSync(mixesDir) || readdirSync(mixesDir).length === 0, 'no mix and no staging directory left');
  });

  it('cancellation while the output is being written removes every shard written so far', async () => {
    const { dir, sources } = await sourcesFor(70_000, 10);
    const controller = new AbortController();
    const mixesDir = join(dir, 'mixes');
    const mix = mixOf([{ dataset: 'regular', count: 70_000 }], 70_000, { output: { formats: ['jsonl', 'trl'], shardBytes: 1 << 20 } });
    let writing = false;
    const onProgress = (p: { phase: string }): void => {
      if (p.phase !== 'write') return;
      writing = true;
      controller.abort(new Error('stop'));
    };
    await assert.rejects(buildMix({ mix, sources, mixesDir, signal: controller.signal, onProgress }), MixAbortedError);
    assert.ok(writing, 'the abort came during the write phase');
    assert.deepEqual(readdirSync(mixesDir), [], 'no mix and no staging directory left');
  });

  it('writes every requested trainer format with sharding and checksums', async () => {
    const { dir, sources } = await sourcesFor(400, 200);
    const mix = mixOf([{ dataset: 'regular', fraction: 0.75 }, { dataset: 'traits', fraction: 0.25 }], 200, {
      output: { formats: ['jsonl', 'verl', 'openrlhf', 'trl'], shardBytes: 8 * 1024 },
    });
    const { manifest, dir: out } = await buildMix({ mix, sources, mixesDir: join(dir, 'mixes') });
    assert.deepEqual(manifest.outputs.map((o) => o.format), ['jsonl', 'verl', 'openrlhf', 'trl']);
    for (const output of manifest.outputs) {
      assert.equal(output.shards.reduce((s, x) => s + x.records, 0), 200, output.format);
      for (const shard of output.shards) {
        const bytes = readFileSync(join(out, output.dir, shard.file));
        assert.equal(bytes.length, shard.bytes);
        assert.equal(createHash('sha256').update(bytes).digest('hex'), shard.sha256.replace(/^sha256:/, ''));
      }
    }
    assert.ok(manifest.outputs[0]!.shards.length > 1, 'the canonical output was sharded');
  });
});
