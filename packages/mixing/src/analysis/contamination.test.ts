import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { removeTempDirs, tempDir } from '../testing/records.js';
import { buildContaminationIndex, checkRecord } from './contamination.js';
import { BenchmarkFileError } from './errors.js';
import { NgramTable } from './ngram-table.js';
import { normalisedWords } from './text-fields.js';

after(removeTempDirs);

const QUESTION =
  'A patient presents with chest pain radiating to the left arm and shortness of breath after climbing two flights of stairs. What is the most likely diagnosis?';

async function benchmarkFiles(): Promise<{ benchmark: string; path: string }[]> {
  const dir = await tempDir();
  const medqa = join(dir, 'medqa.jsonl');
  await writeFile(
    medqa,
    '\uFEFF' +
      [
        JSON.stringify({ id: 'med-1', question: QUESTION, choices: ['angina', 'asthma'] }),
        '',
        JSON.stringify({ id: 42, prompt: [{ role: 'user', content: 'Short item with too few words.' }] }),
      ].join('\r\n') +
      '\r\n',
  );
  const chat = join(dir, 'chat.jsonl');
  await writeFile(
    chat,
    JSON.stringify({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Explain in detail why the sky appears blue during the day but red and orange at sunset please' }] }],
    }) + '\n',
  );
  return [
    { benchmark: 'medqa', path: medqa },
    { benchmark: 'chatbench', path: chat },
  ];
}

const record = (content: string): Buffer =>
  Buffer.from(JSON.stringify({ id: 'r', messages: [{ role: 'user', content }, { role: 'assistant', content: 'ok' }], tags: { kind: 'regular', trait: null, domain: 'x' } }));

describe('contamination index', () => {
  it('finds a record that copies a 13-word span of an item, with benchmark, item id and the n-gram', async () => {
    const index = await buildContaminationIndex(await benchmarkFiles());
    assert.equal(index.n, 13);
    assert.deepEqual(
      index.items.map((i) => [i.benchmark, i.itemId]),
      [
        ['medqa', 'med-1'],
        ['medqa', '42'],
        ['chatbench', 'line:1'],
      ],
    );
    assert.deepEqual(index.unindexedItems, [{ benchmark: 'medqa', itemId: '42' }]);
    const span = 'with chest pain radiating to the left arm and shortness of breath after';
    assert.equal(span.split(' ').length, 13);
    assert.deepEqual(checkRecord(index, record(`Consider this: someone ${span} a long walk.`)), [{ benchmark: 'medqa', itemId: 'med-1', ngram: span }]);
    // Content parts inside messages are indexed too.
    const hits = checkRecord(index, record('why the sky appears blue during the day but red and orange at sunset'));
    assert.deepEqual(hits.map((h) => [h.benchmark, h.itemId]), [['chatbench', 'line:1']]);
  });

  it('does not flag a paraphrase that shares fewer than 13 consecutive words', async () => {
    const index = await buildContaminationIndex(await benchmarkFiles());
    const twelve = 'chest pain radiating to the left arm and shortness of breath after';
    assert.equal(twelve.split(' ').length, 12);
    assert.deepEqual(checkRecord(index, record(`Someone has ${twelve.replace('after', 'following')} stairs`)), []);
    assert.deepEqual(checkRecord(index, record(`${twelve}`)), []);
    assert.deepEqual(checkRecord(index, record('A person has pain in the chest that spreads to the left arm and is short of breath.')), []);
  });

  it('normalises case, punctuation and spacing before comparing', async () => {
    const index = await buildContaminationIndex(await benchmarkFiles());
    const shouted = 'WITH CHEST-PAIN... radiating,  to the LEFT arm; and "shortness" of breath\tafter climbing!';
    const hits = checkRecord(index, record(shouted));
    // Deleting punctuation joins hyphenated words ('chest-pain' -> 'chestpain'), so this span's only window misses.
    assert.deepEqual(hits, []);
    const punctuated = 'With chest pain, radiating to THE left arm — and shortness of breath... after climbing!';
    assert.deepEqual(
      checkRecord(index, record(punctuated)).map((h) => h.itemId),
      ['med-1'],
    );
    assert.deepEqual(normalisedWords("Don't STOP — it’s 100% fine!"), ['dont', 'stop', 'its', '100', 'fine']);
  });

  it('respects a smaller n', async () => {
    const index = await buildContaminationIndex(await benchmarkFiles(), 5);
    assert.deepEqual(index.unindexedItems, []);
    assert.deepEqual(checkRecord(index, record('short item with too few')).map((h) => h.itemId), ['42']);
  });

  it('reports a malformed benchmark line with its file and line number', async () => {
    const dir = await tempDir();
    const path = join(dir, 'bad.jsonl');
    await writeFile(path, '{"id":"a","text":"x"}\n{oops\n');
    await assert.rejects(buildContaminationIndex([{ benchmark: 'bad', path }]), (e: unknown) => e instanceof BenchmarkFileError && e.line === 2 && e.path === path);
  });
});

describe('NgramTable', () => {
  it('stores 64-bit keys with several items each, across growth', () => {
    const t = new NgramTable(4);
    for (let i = 0; i < 5000; i++) {
      assert.equal(t.add(i * 7919, 0xffffffff - i, i % 3), true);
      assert.equal(t.add(i * 7919, 0xffffffff - i, i % 3), false);
    }
    t.add(7919, 0xffffffff - 1, 2); // a second item for key 1
    assert.equal(t.size, 5001);
    const items: number[] = [];
    t.lookup(7919, 0xffffffff - 1, (i) => items.push(i));
    assert.deepEqual(items.sort(), [1, 2]);
    const none: number[] = [];
    t.lookup(7919, 0xffffffff, (i) => none.push(i));
    assert.deepEqual(none, []);
  });
});
