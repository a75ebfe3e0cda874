import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, test } from 'node:test';
import { scanLines, type SourceLine } from './lines.js';
import { removeTempDirs, tempDir, writeSource } from './testing/records.js';

after(removeTempDirs);

async function collect(content: string | Buffer): Promise<{ lines: { line: number; offset: number; text: string }[]; file: Buffer; sha256: string }> {
  const dir = await tempDir();
  const { path } = await writeSource(dir, 'lines', content);
  const file = await readFile(path);
  const lines: { line: number; offset: number; text: string }[] = [];
  const scan = await scanLines(path, (l: SourceLine) => lines.push({ line: l.line, offset: l.offset, text: l.bytes.toString('utf8') }));
  assert.equal(scan.bytes, file.length);
  assert.equal(scan.lines, lines.length);
  // Every reported range must be exactly the line's bytes in the file.
  for (const l of lines) assert.equal(file.subarray(l.offset, l.offset + Buffer.byteLength(l.text)).toString('utf8'), l.text);
  return { lines, file, sha256: scan.sha256 };
}

test('scanLines strips CRLF, a leading BOM and handles a missing final newline', async () => {
  const { lines, file, sha256 } = await collect('\uFEFF{"a":1}\r\n\r\n{"b":"ü"}\r\n{"c":3}');
  assert.deepEqual(
    lines.map((l) => [l.line, l.text]),
    [
      [1, '{"a":1}'],
      [2, ''],
      [3, '{"b":"ü"}'],
      [4, '{"c":3}'],
    ],
  );
  assert.equal(lines[0]?.offset, 3);
  assert.equal(sha256, createHash('sha256').update(file).digest('hex'));
});

test('scanLines joins a line that spans many read chunks', async () => {
  const long = 'x'.repeat(3 * 1024 * 1024 + 17);
  const { lines } = await collect(`short\n${long}\nend\n`);
  assert.deepEqual(
    lines.map((l) => l.text.length),
    [5, long.length, 3],
  );
  assert.equal(lines[1]?.offset, 6);
});

test('scanLines reports nothing for an empty file', async () => {
  const { lines } = await collect('');
  assert.deepEqual(lines, []);
});
