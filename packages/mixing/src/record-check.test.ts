import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ResolvedMix } from '@ballast/schema';
import { buildMix, previewMix, recordIdOf, type MixSourceInput } from './engine.js';
import { InvalidMixError, MalformedSourceError } from './errors.js';
import { registerSource, type TagSchema } from './sources/index.js';
import { regularRecords, removeTempDirs, tempDir, toJsonl, writeSource } from './testing/records.js';

after(removeTempDirs);

function mixOf(count: number, extra: Partial<ResolvedMix> = {}, filter: ResolvedMix['components'][number]['filter'] = {}): ResolvedMix {
  return {
    totalRecords: count,
    seed: 7,
    dedup: true,
    decontaminate: null,
    output: { formats: ['jsonl'], shardBytes: 1024 ** 3 },
    components: [{ name: 'c', dataset: 'd', fraction: null, count, filter, upsample: null }],
    ...extra,
  };
}

async function sourceOf(records: readonly unknown[], tagSchema?: Partial<TagSchema>): Promise<{ dir: string; sources: MixSourceInput[] }> {
  const dir = await tempDir();
  const file = await writeSource(dir, 'd', toJsonl(records));
  const registration = await registerSource({ path: file.path, storeDir: join(dir, 'store'), ...(tagSchema ? { tagSchema } : {}) });
  return { dir, sources: [{ dataset: 'd', uri: file.uri, registration }] };
}

describe('record checks: preview and build agree', { timeout: 60_000 }, () => {
  it('a record a chosen output format cannot take fails the preview with the same message the build fails with', async () => {
    const records: Record<string, unknown>[] = regularRecords(20).map((r) => ({ ...r }));
    records[5] = { id: 'no-messages', text: 'hello', tags: { kind: 'regular', trait: null, domain: 'law' } };
    const { dir, sources } = await sourceOf(records);
    const mix = mixOf(20, { output: { formats: ['jsonl', 'verl'], shardBytes: 1024 ** 3 } });
    const preview = await previewMix({ mix, sources });
    assert.match(preview.error ?? '', /line 6: record 'no-messages' cannot be written as verl: 'messages' must be an array/);
    await assert.rejects(buildMix({ mix, sources, mixesDir: join(dir, 'mixes') }), (err: unknown) => {
      assert.ok(err instanceof MalformedSourceError);
      assert.equal(err.message, preview.error);
      return true;
    });
    // JSONL alone takes the record: nothing to check, and the build succeeds.
    const plain = mixOf(20);
    const ok = await previewMix({ mix: plain, sources });
    assert.equal(ok.error, null);
    assert.equal(ok.recordsChecked, 0);
    assert.deepEqual(ok.sources, [{ dataset: 'd', records: 20, malformed: 0, quarantine: null }]);
    assert.equal((await buildMix({ mix: plain, sources, mixesDir: join(dir, 'mixes') })).manifest.records, 20);
  });

  it('the reference trainer needs tags.pressure and tags.template: checked when the mix is built', async () => {
    const records: Record<string, unknown>[] = regularRecords(10).map((r) => ({ ...r }));
    records[3] = { ...records[3], tags: { kind: 'regular', trait: null, domain: 'law', template: 'plain' } };
    const { dir, sources } = await sourceOf(records);
    const mix = mixOf(10);
    const preview = await previewMix({ mix, sources, trainer: 'reference' });
    assert.match(preview.error ?? '', /line 4: record 'reg-3' cannot be used by the reference trainer: 'tags\.pressure'/);
    await assert.rejects(buildMix({ mix, sources, mixesDir: join(dir, 'mixes'), trainer: 'reference' }), MalformedSourceError);
    assert.equal((await previewMix({ mix, sources })).error, null);
  });

  it('a kind filter on a source whose records have no kind is refused, not guessed', async () => {
    const records = Array.from({ length: 5 }, (_, i) => ({ id: `p${i}`, text: `t${i}`, tags: { trait: null, domain: 'law' } }));
    const { sources } = await sourceOf(records);
    await assert.rejects(previewMix({ mix: mixOf(5, {}, { kind: { notIn: ['trait'] } }), sources }), (err: unknown) => {
      assert.ok(err instanceof InvalidMixError);
      assert.match(err.message, /component 'c' filters on kind, but 5 record\(s\) of dataset 'd' have no 'tags\.kind'/);
      return true;
    });
    assert.equal((await previewMix({ mix: mixOf(5), sources })).error, null);
  });
});

describe('contamination examples name records by the configured id path', { timeout: 60_000 }, () => {
  it('recordIdOf reads a dotted path', () => {
    const rec = Buffer.from(JSON.stringify({ id: 'top', meta: { uid: 'u-7' } }));
    assert.equal(recordIdOf(rec, 'meta.uid'), 'u-7');
    assert.equal(recordIdOf(rec, 'id'), 'top');
    assert.equal(recordIdOf(rec, 'meta.none'), '?');
  });

  it('a build with tagSchema.id = meta.uid reports that id for an overlapping record', async () => {
    const leaked = 'please explain why the committee decided to postpone the vote on the new hospital budget until next spring';
    const records = regularRecords(30).map((r, i) => ({ ...r, id: `wrong-${i}`, meta: { uid: `uid-${i}` } }));
    records[4]!.messages[0]!.content = leaked;
    const { dir, sources } = await sourceOf(records, { id: 'meta.uid' });
    const itemFile = join(dir, 'bench.items.jsonl');
    writeFileSync(itemFile, `${JSON.stringify({ id: 'b/0', messages: [{ role: 'user', content: leaked }] })}\n`);
    const mix = mixOf(30, { decontaminate: { ngram: 13, exclude: false } });
    const { manifest } = await buildMix({ mix, sources, benchmarkItems: [{ benchmark: 'bench@1', path: itemFile }], mixesDir: join(dir, 'mixes') });
    assert.deepEqual(manifest.contamination?.examples, [{ recordId: 'uid-4', benchmark: 'bench@1', itemId: 'b/0' }]);
  });
});
