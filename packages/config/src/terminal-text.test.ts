import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { terminalLines, terminalText } from './terminal-text.js';

describe('terminalText', { timeout: 5_000 }, () => {
  it('escapes colour codes, OSC titles, clear-screen, C1 CSI, backspaces, CR/LF and bidi overrides', () => {
    const hostile = 'a\x1b[31mred\x1b]0;pwned\x07\x1b[2J\u009b31m\b\b\r\nforged row\u202eevil';
    const out = terminalText(hostile);
    assert.equal(out, 'a\\x1b[31mred\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\x08\\x08\\r\\nforged row\\u202eevil');
    assert.doesNotMatch(out, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it('keeps printable text of any script unchanged', () => {
    const text = 'José — 数据 ✓ naïve 😀';
    assert.equal(terminalText(text), text);
  });

  it('terminalLines keeps the line breaks but escapes everything else in each line', () => {
    assert.equal(terminalLines('one\x1b[2J\ntwo\r'), 'one\\x1b[2J\ntwo\\r');
  });
});
