import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DatasetCursor } from './dataset-cursor.js';

const record = (i: number) =>
  JSON.stringify({
    id: `r${i}`,
    messages: [
      { role: 'user', content: `question ${i}` },
      { role: 'assistant', content: `answer ${i}` },
    ],
    tags: { kind: 'regular', trait: null, domain: 'science', pressure: 0, template: 't' },
  });

async function ids(paths: string[], n: number, position?: Parameters<typeof DatasetCursor.open>[1]) {
  const cursor = await DatasetCursor.open(paths, position);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await cursor.next()).id);
  const at = cursor.position();
  await cursor.close();
  return { out, at };
}

describe('DatasetCursor over shards', () => {
  it('reads shards as one stream, wraps to the first, and resumes from a saved position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-cursor-'));
    const whole = join(dir, 'whole.jsonl');
    const a = join(dir, 'part-0.jsonl');
    const b = join(dir, 'part-1.jsonl');
    writeFileSync(whole, [0, 1, 2, 3, 4].map(record).join('\n') + '\n');
    writeFileSync(a, [0, 1].map(record).join('\n') + '\n');
    writeFileSync(b, [2, 3, 4].map(record).join('\n')); // no final newline
    const single = await ids([whole], 12);
    const sharded = await ids([a, b], 12);
    assert.deepEqual(sharded.out, single.out);
    assert.deepEqual(sharded.out.slice(0, 6), ['r0', 'r1', 'r2', 'r3', 'r4', 'r0']);
    const first = await ids([a, b], 3);
    const rest = await ids([a, b], 9, first.at);
    assert.deepEqual([...first.out, ...rest.out], sharded.out);
  });
});
