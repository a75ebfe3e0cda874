import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { removeTempDirs, tempDir } from '../testing/records.js';
import { createOutputWriter } from './create-output-writer.js';
import { OutputRecordError } from './errors.js';
import { toTrainerRecord } from './trainer-rows.js';
import type { OutputFormat } from './types.js';

after(removeTempDirs);

const tags = { kind: 'trait', trait: 'honesty', domain: 'healthcare', pressure: 0.5, template: 't1', extra: [1] };
const multiTurn = {
  id: 'r1',
  messages: [
    { role: 'system', content: 'Be straight.' },
    { role: 'user', content: 'Is it safe?' },
    { role: 'assistant', content: 'Mostly.' },
    { role: 'user', content: 'Sure? “ü”' },
    { role: 'assistant', content: 'Yes, with caveats.', name: 'ignored' },
  ],
  tags,
};
const promptOnly = { id: 'r2', messages: [{ role: 'user', content: 'Solve 2+2.' }], tags: { kind: 'regular', trait: null, domain: 'science' } };
const bytesOf = (r: unknown): Buffer => Buffer.from(JSON.stringify(r));

describe('trainer record mapping', () => {
  it('prompt runs to the last user turn; label is the final assistant answer', () => {
    const r = toTrainerRecord('verl', bytesOf(multiTurn));
    assert.deepEqual(r.prompt, multiTurn.messages.slice(0, 4));
    assert.equal(r.label, 'Yes, with caveats.');
    assert.equal(r.ability, 'trait/honesty');
    assert.equal(r.tagsJson, JSON.stringify(tags));
  });

  it('a prompt-only record is labelled with its tags; a regular one’s ability names its domain', () => {
    const r = toTrainerRecord('trl', bytesOf(promptOnly));
    assert.deepEqual(r.prompt, promptOnly.messages);
    assert.equal(r.label, JSON.stringify(promptOnly.tags));
    assert.equal(r.ability, 'regular/science');
  });

  it('refuses records that cannot be prompts, naming the record', () => {
    const noUser = { id: 'r3', messages: [{ role: 'assistant', content: 'hi' }], tags };
    assert.throws(() => toTrainerRecord('verl', bytesOf(noUser)), (e: unknown) => e instanceof OutputRecordError && e.recordId === 'r3' && /no user turn/.test(e.message));
    assert.throws(() => toTrainerRecord('verl', Buffer.from('{"id":"r4","messages":[{"role":"user"}],"tags":{}}')), OutputRecordError);
    assert.throws(() => toTrainerRecord('verl', Buffer.from('{"id":"r5","messages":[]}')), OutputRecordError);
    assert.throws(() => toTrainerRecord('verl', Buffer.from('not json')), OutputRecordError);
  });
});

async function jsonLines(format: OutputFormat): Promise<unknown[]> {
  const dir = join(await tempDir(), 'staging');
  const writer = createOutputWriter({ format, stagingDir: dir, shardBytes: 1 << 20, dataSource: 'mix-abc' });
  await writer.write(bytesOf(multiTurn));
  await writer.write(bytesOf(promptOnly));
  const result = await writer.finish();
  assert.equal(result.records, 2);
  const text = await readFile(join(dir, 'part-00000.jsonl'), 'utf8');
  assert.ok(text.endsWith('\n'));
  return text.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
}

describe('OpenRLHF and TRL JSONL round trip', () => {
  it('openrlhf: input (chat list), label, datasource, id', async () => {
    assert.deepEqual(await jsonLines('openrlhf'), [
      { input: multiTurn.messages.slice(0, 4), label: 'Yes, with caveats.', datasource: 'mix-abc', id: 'r1' },
      { input: promptOnly.messages, label: JSON.stringify(promptOnly.tags), datasource: 'mix-abc', id: 'r2' },
    ]);
  });

  it('trl: prompt (chat list) plus reward-function columns', async () => {
    assert.deepEqual(await jsonLines('trl'), [
      { prompt: multiTurn.messages.slice(0, 4), ground_truth: 'Yes, with caveats.', tags: JSON.stringify(tags), id: 'r1', data_source: 'mix-abc' },
      { prompt: promptOnly.messages, ground_truth: JSON.stringify(promptOnly.tags), tags: JSON.stringify(promptOnly.tags), id: 'r2', data_source: 'mix-abc' },
    ]);
  });

  it('a bad record fails the write with OutputRecordError', async () => {
    const writer = createOutputWriter({ format: 'openrlhf', stagingDir: join(await tempDir(), 's'), shardBytes: 100, dataSource: 'm' });
    await assert.rejects(writer.write(Buffer.from('{"id":"x","messages":[],"tags":{}}')), OutputRecordError);
    await writer.abort();
  });
});
