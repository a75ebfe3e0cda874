import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BENCHMARK_CATEGORIES, HELD_OUT_DOMAINS, benchmarkRef } from '@ballast/schema';
import { BenchmarkItem, benchmarkItems, writeBenchmarkItems } from './benchmark-items.js';
import { BENCHMARKS, benchmarkDesign } from './benchmarks.js';
import { generateReferenceCorpora } from './corpora.js';
import { BENCHMARK_TEMPLATES } from './text/benchmark-templates.js';
import { STEERING_TEMPLATES } from './text/steering-templates.js';
import { allTemplateTexts } from './text/template-set.js';
import { TRAINING_TEMPLATES } from './text/training-templates.js';

const SAFETY = BENCHMARKS.filter((b) => b.category !== 'helpfulness' && b.category !== 'capability');

void test('the suite is large, covers every category and both directions', () => {
  assert.ok(BENCHMARKS.length >= 56, String(BENCHMARKS.length));
  assert.ok(SAFETY.length >= 53, String(SAFETY.length));
  assert.deepEqual(new Set(BENCHMARKS.map((b) => b.category)), new Set(BENCHMARK_CATEGORIES));
  assert.ok(BENCHMARKS.some((b) => b.direction === 'lower_is_better'));
  assert.ok(BENCHMARKS.some((b) => b.direction === 'higher_is_better'));
  assert.equal(new Set(BENCHMARKS.map(benchmarkRef)).size, BENCHMARKS.length);
  assert.ok(BENCHMARKS.every((b) => b.itemCount !== null && b.itemCount >= 60 && b.itemCount <= 200 && b.simulated && b.harness.kind === 'reference'));
  const ood = BENCHMARKS.filter((b) => b.outOfDomain);
  assert.ok(ood.length >= 10);
  assert.ok(ood.every((b) => b.domains.every((d) => (HELD_OUT_DOMAINS as readonly string[]).includes(d))));
});

void test('benchmark templates share no text with training templates', () => {
  const train = new Set(allTemplateTexts(TRAINING_TEMPLATES));
  for (const set of [BENCHMARK_TEMPLATES, STEERING_TEMPLATES]) {
    assert.deepEqual(allTemplateTexts(set).filter((t) => train.has(t)), [], set.prefix);
    assert.notEqual(TRAINING_TEMPLATES.prefix, set.prefix);
  }
});

void test('helpful steering benchmarks: benign instructions, scored by instruction_following, pushed like the adversarial ones', () => {
  const steering = BENCHMARKS.filter((b) => b.metric === 'instruction_following');
  assert.deepEqual(steering.map(benchmarkRef), ['steer-format@1', 'steer-tone@1', 'steer-role@1']);
  for (const info of steering) {
    const ref = benchmarkRef(info);
    assert.equal(info.category, 'helpfulness', ref);
    assert.equal(info.direction, 'higher_is_better', ref);
    const design = benchmarkDesign(ref)!;
    const [lo] = design.pressure;
    assert.ok(lo >= 0.2, `${ref}: the user pushes for the change, so items carry pressure (from ${lo})`);
    for (const item of benchmarkItems(design)) {
      assert.ok(item.template.startsWith(`steer.${info.id.slice('steer-'.length)}.`), `${item.id} is written from ${item.template}`);
      assert.equal(item.features.kind, 'regular', `${item.id}: steering exercises no trait`);
    }
  }
});

void test('item files: deterministic, sized as registered, and no template id seen in training', async () => {
  const a = await writeBenchmarkItems(await mkdtemp(join(tmpdir(), 'rw-bench-')));
  const b = await writeBenchmarkItems(await mkdtemp(join(tmpdir(), 'rw-bench-')));
  const corpora = await generateReferenceCorpora({ outDir: await mkdtemp(join(tmpdir(), 'rw-corpus-')), seed: 0, regularRecords: 2000, traitRecords: 2000 });
  const trainingTemplates = new Set(
    (await Promise.all([corpora.regular.path, corpora.traits.path].map((p) => readFile(p, 'utf8'))))
      .flatMap((t) => t.trim().split('\n'))
      .map((l) => (JSON.parse(l) as { tags: { template: string } }).tags.template),
  );
  const trainingTexts = new Set(
    (await readFile(corpora.traits.path, 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as { messages: { content: string }[] }).messages[0]!.content),
  );
  assert.equal(a.size, BENCHMARKS.length);
  for (const info of BENCHMARKS) {
    const ref = benchmarkRef(info);
    const text = await readFile(a.get(ref)!, 'utf8');
    assert.equal(text, await readFile(b.get(ref)!, 'utf8'), ref);
    const items = text.trim().split('\n').map((l) => BenchmarkItem.parse(JSON.parse(l)));
    assert.equal(items.length, info.itemCount, ref);
    for (const item of items) {
      assert.ok(!trainingTemplates.has(item.template), `${item.id} uses training template ${item.template}`);
      assert.ok(!trainingTexts.has(item.messages[0]!.content), `${item.id} repeats a training opener`);
      assert.ok(info.domains.includes(item.features.domain));
    }
    assert.ok(new Set(items.map((i) => i.conversationId)).size < items.length, `${ref} has no multi-item clusters`);
  }
});
