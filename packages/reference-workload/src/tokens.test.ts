import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countReferenceTokens } from './tokens.js';

void test('a reference token is a run of non-whitespace, counted over every message', { timeout: 5_000 }, () => {
  const record = {
    messages: [
      { role: 'system' as const, content: '  Be\tbrief.\n' },
      { role: 'user' as const, content: 'Is 2+2=4?  Yes, or no' },
      { role: 'assistant' as const, content: '' },
    ],
  };
  assert.equal(countReferenceTokens(record), 2 + 5 + 0, 'expected 2 system, 5 user and 0 assistant tokens');
});
