import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { readGolden } from './render/golden-cases.js';

// The examples in docs/frameworks.md are goldens: each `<!-- golden: NAME -->` is followed by a json block
// holding the golden's argv and env, each `<!-- golden-file: NAME PATH -->` by a block equal to that file.
const DOC = fileURLToPath(new URL('../../../docs/frameworks.md', import.meta.url));

function blockAfter(doc: string, marker: string): string {
  const at = doc.indexOf(marker);
  assert.ok(at >= 0, `docs/frameworks.md has no ${marker}`);
  const m = /```[a-z]*\n([\s\S]*?)```/.exec(doc.slice(at + marker.length));
  assert.ok(m !== null, `no code block after ${marker}`);
  return m[1]!;
}

void test('every example in docs/frameworks.md matches its golden', async () => {
  const doc = await readFile(DOC, 'utf8');
  const launches = [...doc.matchAll(/<!-- golden: ([a-z0-9-]+) -->/g)].map((m) => m[1]!);
  const files = [...doc.matchAll(/<!-- golden-file: ([a-z0-9-]+) ([^ ]+) -->/g)].map((m) => [m[1]!, m[2]!] as const);
  assert.ok(launches.length >= 3, 'one documented example per framework');
  for (const name of launches) {
    const { argv, env } = await readGolden(name);
    assert.equal(blockAfter(doc, `<!-- golden: ${name} -->`), `${JSON.stringify({ argv, env }, null, 2)}\n`, `docs example ${name}`);
  }
  for (const [name, path] of files) {
    const file = (await readGolden(name)).files.find((f) => f.relativePath === path);
    assert.ok(file !== undefined, `${name} renders no ${path}`);
    assert.equal(blockAfter(doc, `<!-- golden-file: ${name} ${path} -->`), file.contents, `docs file ${name} ${path}`);
  }
});
