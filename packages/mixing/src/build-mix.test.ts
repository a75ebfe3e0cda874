import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Domain, ResolvedMix } from '@ballast/schema';
import { buildMix, MANIFEST_FILE, MIX_FILE, type MixSource } from './build-mix.js';
import {
  InvalidMixError,
  MalformedSourceError,
  MixAbortedError,
  MixComponentShortError,
  SourceDigestMismatchError,
  UnknownDatasetError,
} from './errors.js';
import { computeMixId } from './mix-id.js';
import { regularRecords, removeTempDirs, tempDir, toJsonl, traitRecords, writeSource, type FixtureRecord } from './testing/records.js';

after(removeTempDirs);

type Component = ResolvedMix['components'][number];

async function sources(dir: string, regular = 2000, traits = 900): Promise<Record<string, MixSource>> {
  return {
    regular: await writeSource(dir, 'regular', toJsonl(regularRecords(regular))),
    traits: await writeSource(dir, 'traits', toJsonl(traitRecords(traits))),
  };
}

function mixOf(totalRecords: number, components: Component[], seed = 7): ResolvedMix {
  return { totalRecords, seed, components };
}

const ninetyFive: Component[] = [
  { name: 'regular', dataset: 'regular', fraction: 0.95, filter: {} },
  { name: 'traits', dataset: 'traits', fraction: 0.05, filter: {} },
];

async function outputRecords(outDir: string): Promise<FixtureRecord[]> {
  const text = await readFile(join(outDir, MIX_FILE), 'utf8');
  assert.ok(text.endsWith('\n'));
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as FixtureRecord);
}

test('buildMix selects exactly the requested counts and writes a matching manifest', async () => {
  const dir = await tempDir();
  const src = await sources(dir);
  const outDir = join(dir, 'out');
  const mix = mixOf(1000, ninetyFive);
  const manifest = await buildMix({ mix, sources: src, outDir });

  assert.equal(manifest.records, 1000);
  assert.deepEqual(
    manifest.components.map((c) => [c.name, c.requested, c.selected, c.eligible]),
    [
      ['regular', 950, 950, 2000],
      ['traits', 50, 50, 900],
    ],
  );
  assert.deepEqual(
    manifest.sources.map((s) => [s.dataset, s.records, s.sha256]),
    [
      ['regular', 2000, src.regular?.sha256],
      ['traits', 900, src.traits?.sha256],
    ],
  );
  const records = await outputRecords(outDir);
  assert.equal(records.length, 1000);
  assert.equal(new Set(records.map((r) => r.id)).size, 1000, 'no record is drawn twice');
  assert.equal(records.filter((r) => r.tags.kind === 'trait').length, 50);
  assert.deepEqual(manifest.countsByTag.kind, { regular: 950, trait: 50 });
  const traitCounts = Object.values(manifest.countsByTag.trait ?? {}).reduce((s, n) => s + n, 0);
  assert.equal(traitCounts, 1000);
  assert.equal(manifest.countsByTag.trait?.none, 950);

  const bytes = await readFile(join(outDir, MIX_FILE));
  assert.equal(manifest.output.sha256, createHash('sha256').update(bytes).digest('hex'));
  assert.equal(manifest.output.bytes, bytes.length);
  assert.equal(manifest.mixId, computeMixId(mix, src));
  assert.match(manifest.mixId, /^mix_[0-9a-f]{24}$/);
  const onDisk = JSON.parse(await readFile(join(outDir, MANIFEST_FILE), 'utf8')) as unknown;
  assert.deepEqual(onDisk, JSON.parse(JSON.stringify(manifest)));
  assert.deepEqual(
    (await readdir(outDir)).sort(),
    [MANIFEST_FILE, MIX_FILE],
    'no temp files are left behind',
  );
});

test('buildMix is deterministic: same spec and sources give identical bytes; another seed does not', async () => {
  const dir = await tempDir();
  const src = await sources(dir);
  const mix = mixOf(600, ninetyFive);
  const a = await buildMix({ mix, sources: src, outDir: join(dir, 'a') });
  const b = await buildMix({ mix, sources: src, outDir: join(dir, 'b') });
  assert.equal(a.mixId, b.mixId);
  assert.deepEqual(await readFile(join(dir, 'a', MIX_FILE)), await readFile(join(dir, 'b', MIX_FILE)));
  assert.deepEqual(await readFile(join(dir, 'a', MANIFEST_FILE)), await readFile(join(dir, 'b', MANIFEST_FILE)));

  const c = await buildMix({ mix: mixOf(600, ninetyFive, 8), sources: src, outDir: join(dir, 'c') });
  assert.notEqual(c.mixId, a.mixId);
  assert.notEqual(c.output.sha256, a.output.sha256);
  assert.deepEqual(c.countsByTag.kind, a.countsByTag.kind);
});

test('buildMix interleaves so that every window holds each share within ±2 records', async () => {
  const dir = await tempDir();
  const src = await sources(dir);
  const manifest = await buildMix({ mix: mixOf(1000, ninetyFive), sources: src, outDir: join(dir, 'out') });
  const isTrait = (await outputRecords(join(dir, 'out'))).map((r) => (r.tags.kind === 'trait' ? 1 : 0));
  assert.equal(manifest.records, isTrait.length);
  for (const w of [20, 50, 100, 333]) {
    for (let a = 0; a + w <= isTrait.length; a++) {
      const got = isTrait.slice(a, a + w).reduce<number>((s, x) => s + x, 0);
      assert.ok(Math.abs(got - w * 0.05) <= 2, `window [${a}, ${a + w}) holds ${got} trait records`);
    }
  }
});

test('buildMix assigns a record to the first matching component only', async () => {
  const dir = await tempDir();
  const src = await sources(dir);
  // 900 trait records, 100 per (trait, domain) pair: healthcare has 300.
  const components: Component[] = [
    { name: 'regular', dataset: 'regular', fraction: 0.5, filter: {} },
    { name: 'health', dataset: 'traits', fraction: 0.25, filter: { domain: { in: ['healthcare'] } } },
    { name: 'other-traits', dataset: 'traits', fraction: 0.25, filter: {} },
  ];
  const manifest = await buildMix({ mix: mixOf(800, components), sources: src, outDir: join(dir, 'out') });
  assert.deepEqual(
    manifest.components.map((c) => [c.name, c.requested, c.eligible]),
    [
      ['regular', 400, 2000],
      ['health', 200, 300],
      ['other-traits', 200, 600],
    ],
  );
  // Exactly 200 healthcare trait records: all from 'health'; 'other-traits' never sees one.
  const traits = (await outputRecords(join(dir, 'out'))).filter((r) => r.tags.kind === 'trait');
  assert.equal(traits.filter((r) => r.tags.domain === 'healthcare').length, 200);
  assert.equal(traits.filter((r) => r.tags.domain !== 'healthcare').length, 200);
});

test('buildMix applies in/notIn filters on trait, domain and kind', async () => {
  const dir = await tempDir();
  const mixed = [...regularRecords(300), ...traitRecords(900)];
  const src = { all: await writeSource(dir, 'all', toJsonl(mixed)) };
  const components: Component[] = [
    { name: 'regular', dataset: 'all', fraction: 0.5, filter: { kind: { in: ['regular'] } } },
    {
      name: 'traits',
      dataset: 'all',
      fraction: 0.5,
      filter: { trait: { notIn: ['honesty'] }, domain: { in: ['law', 'science'] }, kind: { notIn: ['regular'] } },
    },
  ];
  const manifest = await buildMix({ mix: mixOf(400, components), sources: src, outDir: join(dir, 'out') });
  assert.deepEqual(
    manifest.components.map((c) => c.eligible),
    [300, 400],
  );
  const records = await outputRecords(join(dir, 'out'));
  const traits = records.filter((r) => r.tags.kind === 'trait');
  assert.equal(traits.length, 200);
  assert.ok(traits.every((r) => r.tags.trait !== 'honesty' && r.tags.domain !== 'healthcare'));
});

test('a null trait passes notIn and fails in', async () => {
  const dir = await tempDir();
  const src = { regular: await writeSource(dir, 'regular', toJsonl(regularRecords(10))) };
  const keep: Component = { name: 'c', dataset: 'regular', fraction: 1, filter: { trait: { notIn: ['honesty'] } } };
  assert.equal((await buildMix({ mix: mixOf(10, [keep]), sources: src, outDir: join(dir, 'a') })).records, 10);
  const drop: Component = { name: 'c', dataset: 'regular', fraction: 1, filter: { trait: { in: ['honesty'] } } };
  await assert.rejects(buildMix({ mix: mixOf(1, [drop]), sources: src, outDir: join(dir, 'b') }), MixComponentShortError);
});

test('buildMix throws MixComponentShortError naming the component and both counts, and writes nothing', async () => {
  const dir = await tempDir();
  const src = await sources(dir, 100, 90);
  const components: Component[] = [
    { name: 'regular', dataset: 'regular', fraction: 0.8, filter: {} },
    { name: 'fair-law', dataset: 'traits', fraction: 0.2, filter: { trait: { in: ['fairness'] }, domain: { in: ['law'] } } },
  ];
  const outDir = join(dir, 'out');
  await assert.rejects(buildMix({ mix: mixOf(100, components), sources: src, outDir }), (err: unknown) => {
    assert.ok(err instanceof MixComponentShortError);
    assert.equal(err.code, 'MIX_COMPONENT_SHORT');
    assert.equal(err.component, 'fair-law');
    assert.equal(err.requested, 20);
    assert.equal(err.eligible, 10);
    assert.match(err.message, /'fair-law' needs 20 .* only 10/);
    return true;
  });
  await assert.rejects(readdir(outDir), { code: 'ENOENT' });
});

test('buildMix copies records verbatim from CRLF, BOM and no-final-newline sources, LF-terminated', async () => {
  const dir = await tempDir();
  const records = regularRecords(5);
  const lines = records.map((r) => JSON.stringify(r));
  const crlf = `\uFEFF${lines.join('\r\n\r\n')}`; // BOM, CRLF, blank lines, no final newline
  const src = { regular: await writeSource(dir, 'regular', crlf) };
  const manifest = await buildMix({
    mix: mixOf(5, [{ name: 'regular', dataset: 'regular', fraction: 1, filter: {} }]),
    sources: src,
    outDir: join(dir, 'out'),
  });
  assert.equal(manifest.sources[0]?.records, 5);
  const out = await readFile(join(dir, 'out', MIX_FILE), 'utf8');
  assert.ok(!out.includes('\r') && !out.includes('\uFEFF'));
  assert.deepEqual(out.slice(0, -1).split('\n').sort(), [...lines].sort());
});

test('buildMix refuses a source with malformed lines, listing their numbers', async () => {
  const dir = await tempDir();
  const content = `${toJsonl(regularRecords(3))}{"id":"x"\n\n${JSON.stringify({ id: 'y', tags: { kind: 'regular', trait: null } })}\n`;
  const src = { regular: await writeSource(dir, 'regular', content) };
  await assert.rejects(
    buildMix({ mix: mixOf(2, [{ name: 'regular', dataset: 'regular', fraction: 1, filter: {} }]), sources: src, outDir: join(dir, 'out') }),
    (err: unknown) => {
      assert.ok(err instanceof MalformedSourceError);
      assert.deepEqual(
        err.lines.map((l) => l.line),
        [4, 6],
      );
      assert.match(err.message, /line 4: not JSON.*line 6: 'tags.domain'/);
      return true;
    },
  );
});

test('buildMix refuses a source whose bytes do not match its registered sha256', async () => {
  const dir = await tempDir();
  const src = await sources(dir, 10, 10);
  const wrong = { ...src, traits: { ...(src.traits as MixSource), sha256: 'sha256:' + '0'.repeat(64) } };
  await assert.rejects(buildMix({ mix: mixOf(10, ninetyFive), sources: wrong, outDir: join(dir, 'out') }), SourceDigestMismatchError);
});

test('buildMix rejects unknown datasets and fractions that do not sum to 1', async () => {
  const dir = await tempDir();
  const src = await sources(dir, 10, 10);
  const unknown: Component[] = [{ name: 'x', dataset: 'nope', fraction: 1, filter: {} }];
  await assert.rejects(buildMix({ mix: mixOf(5, unknown), sources: src, outDir: join(dir, 'o') }), UnknownDatasetError);
  const bad: Component[] = [{ name: 'regular', dataset: 'regular', fraction: 0.9, filter: {} }];
  await assert.rejects(buildMix({ mix: mixOf(5, bad), sources: src, outDir: join(dir, 'o') }), InvalidMixError);
});

test('buildMix honours an abort: no manifest, no mix file, no temp files', async () => {
  const dir = await tempDir();
  const src = await sources(dir);
  const before = new AbortController();
  before.abort();
  await assert.rejects(buildMix({ mix: mixOf(100, ninetyFive), sources: src, outDir: join(dir, 'a'), signal: before.signal }), MixAbortedError);

  for (const phase of ['scan', 'write'] as const) {
    const outDir = join(dir, `abort-${phase}`);
    const controller = new AbortController();
    await assert.rejects(
      buildMix({
        mix: mixOf(1000, ninetyFive),
        sources: src,
        outDir,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === phase) controller.abort();
        },
      }),
      (err: unknown) => err instanceof MixAbortedError && err.code === 'MIX_ABORTED',
    );
    const left = await readdir(outDir).catch(() => []);
    assert.deepEqual(left, [], `abort during ${phase} left ${left.join(', ')}`);
  }
});

test('buildMix replaces an earlier build in the same directory without a stale manifest', async () => {
  const dir = await tempDir();
  const src = await sources(dir);
  const outDir = join(dir, 'out');
  await buildMix({ mix: mixOf(100, ninetyFive), sources: src, outDir });
  const controller = new AbortController();
  await assert.rejects(
    buildMix({
      mix: mixOf(200, ninetyFive),
      sources: src,
      outDir,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'write') controller.abort();
      },
    }),
    MixAbortedError,
  );
  const left = await readdir(outDir);
  assert.ok(!left.includes(MANIFEST_FILE), 'the old manifest no longer vouches for the directory');
});

test('computeMixId ignores unused sources and filter order, and follows seed and source bytes', () => {
  const sha = (c: string): string => createHash('sha256').update(c).digest('hex');
  const srcs = { regular: { sha256: sha('r') }, traits: { sha256: sha('t') } };
  const filtered = (values: Domain[]): ResolvedMix =>
    mixOf(100, [
      { name: 'regular', dataset: 'regular', fraction: 0.9, filter: {} },
      { name: 'traits', dataset: 'traits', fraction: 0.1, filter: { domain: { in: values } } },
    ]);
  const id = computeMixId(filtered(['law', 'science']), srcs);
  assert.equal(computeMixId(filtered(['science', 'law']), srcs), id);
  assert.equal(computeMixId(filtered(['law', 'science']), { ...srcs, unused: { sha256: sha('u') } }), id);
  assert.equal(computeMixId(filtered(['law', 'science']), { ...srcs, regular: { sha256: `sha256:${sha('r')}` } }), id);
  assert.notEqual(computeMixId({ ...filtered(['law', 'science']), seed: 8 }, srcs), id);
  assert.notEqual(computeMixId(filtered(['law', 'science']), { ...srcs, traits: { sha256: sha('t2') } }), id);
});
