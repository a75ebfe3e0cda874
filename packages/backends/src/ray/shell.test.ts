import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { shellQuote } from '../shell-quote.js';
import { entrypointLine } from './shell.js';

test('quoted words come back from /bin/sh exactly as given', { timeout: 10_000 }, () => {
  const words = [`$(id)`, '`id`', `it's`, `"x"`, 'a\nb', '\\', '$HOME ${PATH}', '', "''", '*', '-n'];
  const line = `printf '%s\\0' ${words.map(shellQuote).join(' ')}`;
  const out = execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' });
  assert.deepEqual(out.split('\0').slice(0, -1), words);
});

test('the entrypoint creates the output directory, enters the cwd and execs the argv', { timeout: 10_000 }, () => {
  assert.equal(
    entrypointLine({ command: ['python3', "it's"], cwd: '/w d', mkdirs: ['/o'] }),
    `mkdir -p -- '/o' && cd -- '/w d' && exec 'python3' 'it'\\''s'`,
  );
});
