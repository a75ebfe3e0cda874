import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeSandbox, nodeRequest, waitForState } from './fixtures/harness.js';
import type { Sandbox } from './fixtures/harness.js';
import { LocalBackend } from './local-backend.js';
import { hostileStrings } from '../testing/hostile-strings.js';

let sandbox: Sandbox;

before(async () => {
  sandbox = await makeSandbox();
}, { timeout: 30_000 });
after(() => sandbox.cleanup(), { timeout: 120_000 });

test('hostile strings in argv, env and the key reach the program verbatim and never a shell', { timeout: 30_000 }, async () => {
  const pwned = join(sandbox.dir, 'pwned');
  const hostile = hostileStrings(pwned);
  const script = `
    const out = process.env.BALLAST_OUTPUT_DIR + '/seen.json';
    require('node:fs').writeFileSync(out, JSON.stringify({ argv: process.argv.slice(1), env: process.env.HOSTILE, key: process.env.KEYLIKE }));
  `;
  const key = `../../$(touch ${pwned}-key)/\`x\`;'"\n`;
  const request = nodeRequest(sandbox, key, script, {
    args: hostile,
    env: { HOSTILE: hostile.join('|'), KEYLIKE: key },
  });
  const backend = new LocalBackend({ stateDir: sandbox.stateDir });
  const { handle } = await backend.submit(request);
  assert.doesNotMatch(handle.backendJobId, /[/$`'"\n]/, 'the key is sanitised before it names files');
  await waitForState(backend, handle, ['SUCCEEDED']);

  const seen = JSON.parse(await readFile(join(request.outputDir, 'seen.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(seen, { argv: hostile, env: hostile.join('|'), key });
  for (const suffix of ['dollar', 'backtick', 'quote', 'dquote', 'newline', 'pipe', 'key']) {
    assert.equal(existsSync(`${pwned}-${suffix}`), false, suffix);
  }
  assert.deepEqual((await readdir(sandbox.dir)).filter((name) => name.startsWith('pwned')), []);
  assert.deepEqual(await backend.findByKey(key), handle);
});
