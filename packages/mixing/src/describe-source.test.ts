import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { describeSource } from './describe-source.js';
import { regularRecords, removeTempDirs, tempDir, toJsonl, writeSource } from './testing/records.js';

after(removeTempDirs);

test('describeSource counts records, skips blank lines and lists malformed ones by line', async () => {
  const dir = await tempDir();
  const good = toJsonl(regularRecords(3));
  const content = `${good}\n{not json}\n{"id":"x","tags":{"kind":"weird","domain":"law","trait":null}}\n[1]\n`;
  const source = await writeSource(dir, 's', content);
  const d = await describeSource(source.path);
  assert.equal(d.sha256, source.sha256);
  assert.equal(d.bytes, Buffer.byteLength(content));
  assert.equal(d.records, 3);
  assert.equal(d.malformedCount, 3);
  assert.deepEqual(
    d.malformed.map((m) => m.line),
    [5, 6, 7],
  );
  assert.match(d.malformed[1]?.reason ?? '', /tags\.kind/);
});

test('describeSource flags invalid UTF-8', async () => {
  const dir = await tempDir();
  const source = await writeSource(dir, 'bad-utf8', Buffer.concat([Buffer.from('{"id":"a","x":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]));
  const d = await describeSource(source.path);
  assert.equal(d.records, 0);
  assert.deepEqual(d.malformed, [{ line: 1, reason: 'not valid UTF-8' }]);
});
