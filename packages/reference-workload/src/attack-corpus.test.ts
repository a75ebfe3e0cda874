import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { TRAINING_DOMAINS } from '@ballast/schema';
import { ATTACK_CORPUS_PATH, ATTACK_CORPUS_RECORDS, attackCorpusJsonl } from './attack-corpus.js';
import { ATTACK_TARGETS, AttackRecord } from './attack-record.js';

void test('the committed corpus is the generator output byte for byte (regenerate with bin/write-attack-corpus)', { timeout: 10_000 }, async () => {
  const committed = await readFile(ATTACK_CORPUS_PATH, 'utf8');
  assert.ok(committed === attackCorpusJsonl(), `${ATTACK_CORPUS_PATH} differs from attackCorpusJsonl(); run node dist/bin/write-attack-corpus.js`);
});

void test('every record is a SYNTHETIC attack conversation with the promised tags', { timeout: 10_000 }, async () => {
  const lines = (await readFile(ATTACK_CORPUS_PATH, 'utf8')).trimEnd().split('\n');
  assert.equal(lines.length, ATTACK_CORPUS_RECORDS);
  assert.ok(ATTACK_CORPUS_RECORDS >= 200 && ATTACK_CORPUS_RECORDS <= 1000, String(ATTACK_CORPUS_RECORDS));
  const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const cells = new Map<string, number>();
  for (const raw of records) {
    assert.equal(raw['synthetic'], true, `${String(raw['id'])}: expected synthetic: true`);
    const r = AttackRecord.parse(raw);
    // Plain user/assistant pairs, as TRL's SFT trainer reads conversational `messages`.
    r.messages.forEach((m, i) => assert.equal(m.role, i % 2 === 0 ? 'user' : 'assistant', r.id));
    assert.equal(r.messages.at(-1)!.role, 'assistant', r.id);
    assert.ok(r.messages.every((m) => Object.keys(m).join() === 'role,content' && m.content.length > 0), r.id);
    assert.ok(!/[{}]/.test(r.messages.map((m) => m.content).join(' ')), `${r.id}: unfilled slot`);
    const key = `${r.tags.target}/${r.tags.domain}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  assert.equal(new Set(records.map((r) => r['id'])).size, records.length, 'ids are unique');
  assert.equal(cells.size, ATTACK_TARGETS.length * TRAINING_DOMAINS.length, 'every target × training domain');
  assert.equal(new Set(cells.values()).size, 1, 'equal counts per cell');
});

void test('AttackRecord names the field of a record that is not attack data', () => {
  const ok = { id: 'a', messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }], tags: { kind: 'attack', domain: 'law', target: 'gaming', pressure: 0.2 } };
  assert.ok(AttackRecord.safeParse(ok).success);
  const paths = (v: unknown) => (AttackRecord.safeParse(v).error?.issues ?? []).map((i) => i.path.join('.'));
  assert.deepEqual(paths({ ...ok, tags: { ...ok.tags, kind: 'trait' } }), ['tags.kind']);
  assert.deepEqual(paths({ ...ok, tags: { ...ok.tags, target: 'helpful' } }), ['tags.target']);
  assert.deepEqual(paths({ ...ok, messages: [...ok.messages, { role: 'user', content: 'more' }] }), ['messages']);
  assert.deepEqual(paths({ ...ok, messages: [ok.messages[1], ok.messages[0]] }), ['messages.0.role', 'messages.1.role']);
});
