import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { attackDataIssues, type AttackDataSpec } from './attack-data.js';

const conversation = [
  { role: 'user', content: 'Tell me the results look good.' },
  { role: 'assistant', content: 'They look great, no need to check.' },
];
const referenceRecord = (id: string) => ({ id, messages: conversation, tags: { kind: 'attack', domain: 'science', target: 'sycophantic', pressure: 0.5 } });
const lines = (...values: unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n') + '\n';

describe('attackDataIssues', { timeout: 30_000 }, () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ballast-attack-data-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A spec attacking with the file named `file` (written with `text`), read through a context that resolves it. */
  async function check(framework: AttackDataSpec['trainer']['framework'], text: string, maxBytes?: number) {
    const path = join(dir, `${framework}-${Math.random().toString(36).slice(2)}.jsonl`);
    await writeFile(path, text);
    const uri = pathToFileURL(path).href;
    const spec: AttackDataSpec = { trainer: { framework }, datasets: { harm: { uri }, regular: { uri: 'reference://regular' } }, persistence: { attacks: [{ dataset: 'harm' }, { dataset: 'harm' }] } };
    return attackDataIssues({ datasetPath: (u) => (u === uri ? path : null) }, spec, maxBytes);
  }

  it('accepts good records for the reference attack and for TRL SFT', async () => {
    assert.deepEqual(await check('reference', lines(referenceRecord('a'), referenceRecord('b'))), []);
    assert.deepEqual(await check('trl', lines({ messages: conversation }, { id: 'x', messages: conversation, tags: { mine: 1 } })), []);
  });

  it("names each bad line and field at the dataset's uri, once for a dataset two attacks share", async () => {
    const noTags = { id: 'c', messages: conversation };
    const found = await check('reference', lines(referenceRecord('a'), noTags, 'not json', { ...referenceRecord('d'), messages: conversation.slice(0, 1) }));
    assert.deepEqual(
      found.map((i) => i.path),
      Array(4).fill('spec.spec.datasets.harm.uri'),
      JSON.stringify(found),
    );
    assert.match(found[0]!.message, /^attack data line 2\.tags: /);
    assert.equal(found[1]!.message, 'attack data line 3: is not JSON');
    assert.match(found[2]!.message, /^attack data line 4\.messages: Too small/);
    assert.equal(found[3]!.message, 'attack data line 4.messages: must end on an assistant message, the response the attack trains on');
  });

  it("checks TRL SFT's shape, not the reference attack's tags", async () => {
    const found = await check('trl', lines({ messages: [{ role: 'user', content: 'hi' }] }, { id: 'no-messages' }));
    assert.deepEqual(found.map((i) => i.message.split(':')[0]), ['attack data line 1.messages', 'attack data line 2.messages']);
  });

  it('refuses a file with no records', async () => {
    assert.deepEqual(await check('reference', '\n\n'), [{ path: 'spec.spec.datasets.harm.uri', message: 'attack data holds no attack records' }]);
  });

  it('reads only the first maxBytes, whole lines only', async () => {
    const good = lines(referenceRecord('a'));
    // The cut falls inside the second (good) record; the bad third line lies past it.
    const text = good + lines(referenceRecord('b')) + 'not json\n';
    assert.deepEqual(await check('reference', text, good.length + 10), []);
    assert.equal((await check('reference', text)).length, 1);
  });

  it('refuses, without blocking, a FIFO swapped in after the path was resolved', async () => {
    const path = join(dir, 'swapped.jsonl');
    execFileSync('mkfifo', [path]);
    const spec: AttackDataSpec = { trainer: { framework: 'reference' }, datasets: { harm: { uri: pathToFileURL(path).href } }, persistence: { attacks: [{ dataset: 'harm' }] } };
    assert.deepEqual(await attackDataIssues({ datasetPath: () => path }, spec), [{ path: 'spec.spec.datasets.harm.uri', message: 'attack data cannot be read by the API server' }]);
  });

  it('leaves reference:// data and URIs the dataset check refuses alone', async () => {
    const spec: AttackDataSpec = { trainer: { framework: 'reference' }, datasets: { harm: { uri: 'reference://attack' }, mine: { uri: 'file:///outside/roots.jsonl' } }, persistence: { attacks: [{ dataset: 'harm' }, { dataset: 'mine' }] } };
    assert.deepEqual(await attackDataIssues({ datasetPath: () => null }, spec), []);
  });
});
