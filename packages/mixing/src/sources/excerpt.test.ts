import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesExcerpt, escapedExcerpt } from './excerpt.js';

describe('excerpts of source content', { timeout: 10_000 }, () => {
  it('escapes control, C1 and bidi characters', () => {
    assert.equal(escapedExcerpt('a\x1b[31mb\u009bc\u202ed\r\n'), 'a\\u001b[31mb\\u009bc\\u202ed\\u000d\\u000a');
  });

  it('cuts to at most the byte limit on a character boundary, marking the cut', () => {
    const text = 'é'.repeat(150); // 300 bytes
    const cut = escapedExcerpt(text, 200);
    assert.ok(Buffer.byteLength(cut) <= 200);
    assert.ok(cut.endsWith('…'));
    assert.ok(!cut.includes('\ufffd'));
    assert.equal(escapedExcerpt('short', 200), 'short');
  });

  it('never splits a UTF-8 sequence of the raw bytes', () => {
    const bytes = Buffer.from('x'.repeat(199) + '€€€€');
    const cut = bytesExcerpt(bytes, 0, bytes.length, 200);
    assert.ok(!cut.includes('\ufffd'), cut);
    assert.ok(Buffer.byteLength(cut) <= 200);
  });
});
