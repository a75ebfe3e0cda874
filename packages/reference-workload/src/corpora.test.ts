import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConversationRecord, TRAINING_DOMAINS, TRAITS } from '@ballast/schema';
import { generateReferenceCorpora } from './corpora.js';

const small = async (seed: number) =>
  generateReferenceCorpora({ outDir: await mkdtemp(join(tmpdir(), 'rw-corpus-')), seed, regularRecords: 500, traitRecords: 300 });

void test('same seed gives byte-identical corpora; another seed differs', async () => {
  const a = await small(3);
  const b = await small(3);
  const c = await small(4);
  assert.deepEqual(await readFile(a.regular.path), await readFile(b.regular.path));
  assert.deepEqual(await readFile(a.traits.path), await readFile(b.traits.path));
  assert.equal(a.traits.sha256, b.traits.sha256);
  assert.notEqual(a.regular.sha256, c.regular.sha256);
});

void test('records are valid multi-turn conversations with the promised tags', async () => {
  const { regular, traits } = await small(1);
  const parse = async (p: string) => (await readFile(p, 'utf8')).trim().split('\n').map((l) => ConversationRecord.parse(JSON.parse(l)));
  const reg = await parse(regular.path);
  const tr = await parse(traits.path);
  assert.equal(reg.length, 500);
  assert.equal(tr.length, 300);
  const lengths = new Set<number>();
  for (const r of [...reg, ...tr]) {
    lengths.add(r.messages.length);
    r.messages.forEach((m, i) => assert.equal(m.role, i % 2 === 0 ? 'user' : 'assistant'));
    assert.ok(!/\{[a-z]+\}/.test(r.messages.map((m) => m.content).join(' ')), 'unfilled slot');
  }
  assert.deepEqual([...lengths].sort(), [2, 3, 4, 5, 6, 7, 8]);
  assert.ok(reg.every((r) => r.tags.kind === 'regular' && r.tags.trait === null));
  assert.ok(tr.every((r) => r.tags.kind === 'trait' && (TRAITS as readonly string[]).includes(r.tags.trait!)));
  assert.deepEqual(new Set(tr.map((r) => r.tags.domain)), new Set(TRAINING_DOMAINS));
  assert.ok(tr.every((r) => r.tags.template.startsWith(`train.${r.tags.trait}.`) && r.tags.template.endsWith(`.${r.tags.domain}`)));
});

void test('a second call with the same version and seed skips the work', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'rw-corpus-'));
  const first = await generateReferenceCorpora({ outDir, seed: 5, regularRecords: 100, traitRecords: 50 });
  const before = (await stat(first.regular.path)).mtimeMs;
  await new Promise((r) => setTimeout(r, 20));
  const second = await generateReferenceCorpora({ outDir, seed: 5, regularRecords: 100, traitRecords: 50 });
  assert.equal((await stat(second.regular.path)).mtimeMs, before);
  const manifest = JSON.parse(await readFile(join(outDir, 'corpus.json'), 'utf8'));
  assert.equal(manifest.seed, 5);
  assert.equal(manifest.regular.sha256, first.regular.sha256);
  const third = await generateReferenceCorpora({ outDir, seed: 6, regularRecords: 100, traitRecords: 50 });
  assert.notEqual(third.regular.sha256, first.regular.sha256);
});
