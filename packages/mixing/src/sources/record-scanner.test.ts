import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RecordScanner } from './record-scanner.js';
import { DEFAULT_TAG_SCHEMA } from './tag-schema.js';

const scanner = new RecordScanner(DEFAULT_TAG_SCHEMA);
function hashOf(text: string): string {
  const buf = Buffer.from(text, 'utf8');
  const verdict = scanner.scan(buf, 0, buf.length);
  assert.equal(verdict, 'record', `${text}: ${scanner.reason}`);
  return `${scanner.hashHi}:${scanner.hashLo}`;
}

const base = {
  id: 'a1',
  messages: [
    { role: 'user', content: 'What is  the Capital of France?' },
    { role: 'assistant', content: 'Paris.' },
  ],
  tags: { kind: 'trait', trait: 'honesty', domain: 'law', pressure: 0.5 },
};

/** Rebuilds a value with keys in a shuffled order (by the given permutation seed). */
function reorder(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => reorder(v, seed));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const rotated = entries.map((_, i) => entries[(i + seed) % entries.length]!);
    return Object.fromEntries(rotated.map(([k, v]) => [k, reorder(v, seed + 1)]));
  }
  return value;
}

describe('normalised content hash', { timeout: 60_000 }, () => {
  it('ignores id, key order, JSON whitespace, whitespace runs in strings and ASCII case', () => {
    const h = hashOf(JSON.stringify(base));
    assert.equal(hashOf(JSON.stringify({ ...base, id: 'other-id' })), h);
    assert.equal(hashOf(JSON.stringify(reorder(base, 1))), h);
    assert.equal(hashOf(JSON.stringify(base, null, 2).replace(/\n/g, ' ')), h);
    assert.equal(hashOf(JSON.stringify({ ...base, messages: [{ role: 'user', content: '  what is the\\tcapital\\n of FRANCE? ' }, base.messages[1]] }).replace(/\\\\/g, '\\')), h);
    const shouted = {
      id: 'a1',
      MESSAGES: base.messages.map((m) => ({ ROLE: m.role.toUpperCase(), CONTENT: m.content.toUpperCase() })),
      tags: { kind: 'TRAIT', trait: 'HONESTY', domain: 'LAW', PRESSURE: 0.5 },
    };
    assert.equal(hashOf(JSON.stringify(shouted)), h);
    assert.equal(hashOf('{"id":"x","messages":[{"role":"user","content":"What is the Capital of France?"},{"role":"assistant","content":"\\u0050aris."}],"tags":{"kind":"trait","trait":"honesty","domain":"law","pressure":0.5}}'), h);
  });

  it('tells different content apart', () => {
    const h = hashOf(JSON.stringify(base));
    assert.notEqual(hashOf(JSON.stringify({ ...base, messages: [base.messages[1], base.messages[0]] })), h);
    assert.notEqual(hashOf(JSON.stringify({ ...base, tags: { ...base.tags, pressure: 0.6 } })), h);
    assert.notEqual(hashOf(JSON.stringify({ ...base, tags: { ...base.tags, pressure: '0.5' } })), h);
    assert.notEqual(hashOf(JSON.stringify({ ...base, messages: [{ role: 'user', content: 'WhatisthecapitalofFrance?' }, base.messages[1]] })), h);
  });

  it('holds for arbitrary records (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'B', ' ', '\t', 'é', '"', '\\', 'z', '\n', '€', '😀') });
    const rec = fc.record({
      id: fc.string({ minLength: 1 }),
      messages: fc.array(fc.record({ role: fc.constantFrom('user', 'assistant'), content: text })),
      tags: fc.record({ kind: fc.constantFrom('regular', 'trait'), trait: fc.option(fc.constantFrom('honesty', 'x')), domain: fc.constantFrom('law', 'health'), n: fc.integer() }),
    });
    fc.assert(
      fc.property(rec, fc.string({ minLength: 1 }), fc.nat(5), fc.boolean(), (r, otherId, seed, spaced) => {
        const h = hashOf(JSON.stringify(r));
        const variant = reorder({ ...r, id: otherId }, seed);
        assert.equal(hashOf(JSON.stringify(variant, null, spaced ? 1 : 0).replace(/\n/g, ' ')), h);
        const normalised = { ...r, messages: r.messages.map((m) => ({ ...m, content: m.content.replace(/[\t\n ]+/g, ' ').trim().replace(/[A-Z]/g, (c) => c.toLowerCase()) })) };
        assert.equal(hashOf(JSON.stringify(normalised)), h);
      }),
      { numRuns: 300 },
    );
  });

  it('hashes a string alike on the word-at-a-time path and the byte-at-a-time one (property)', () => {
    // A plain string takes the fast path; the same string with its first character written as a \\u
    // escape takes the slow one. Lengths around the 4-byte word size matter most.
    const plain = fc.string({ unit: fc.constantFrom('a', 'Q', 'z', '0', 'é', '€', '😀', '-', ' '), maxLength: 14 }).filter((t) => t.length > 0 && !/^ | $|  /.test(t));
    fc.assert(
      fc.property(plain, (t) => {
        const head = String.fromCodePoint(t.codePointAt(0)!);
        const first = Array.from({ length: head.length }, (_, i) => `\\u${head.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
        const rest = t.slice(head.length);
        const fast = hashOf(`{"id":"x","s":${JSON.stringify(t)},"tags":{"kind":"k","trait":null,"domain":"d"}}`);
        const slow = hashOf(`{"id":"x","s":"${first}${JSON.stringify(rest).slice(1, -1)}","tags":{"kind":"k","trait":null,"domain":"d"}}`);
        assert.equal(slow, fast, t);
      }),
      { numRuns: 500 },
    );
  });

  it('classifies lines like JSON.parse does', () => {
    const verdict = (t: string): string => {
      const b = Buffer.from(t);
      return scanner.scan(b, 0, b.length);
    };
    assert.equal(verdict('   '), 'blank');
    assert.equal(verdict('{"id":"a","tags":{"kind":"k","trait":null,"domain":"d"}}'), 'record');
    for (const bad of ['{"id":"a"', '{"id":"a",}', '{"id":01}', '{"id":"a\tb"}', '{"id":"a"} x', 'nul', '"str"', '{"id":"\\x"}']) {
      assert.equal(verdict(bad), 'malformed', bad);
    }
  });

  it('words reasons with byte positions, never with the line text', () => {
    const reasonOf = (t: string): string => {
      const b = Buffer.from(t);
      assert.equal(scanner.scan(b, 0, b.length), 'malformed', t);
      return scanner.reason;
    };
    assert.equal(reasonOf('{"id":"a", hunter2secret}'), "not JSON (expected '\"' at byte 12)");
    assert.equal(reasonOf('root:x:0:0:hunter2secret'), 'not JSON (unexpected byte at byte 1)');
    assert.equal(reasonOf('[1,2]'), 'not a JSON object');
    assert.equal(reasonOf('{"id":"a","id":"b"}'), "duplicate key 'id'");
    assert.match(reasonOf('['.repeat(600) + ']'.repeat(600)), /nested deeper/);
  });

  it('finds duplicate keys only within one object', () => {
    const verdict = (t: string): string => {
      const b = Buffer.from(t);
      return scanner.scan(b, 0, b.length);
    };
    const tags = '"tags":{"kind":"k","trait":null,"domain":"d"}';
    assert.equal(verdict(`{"id":"a","x":{"id":1},"y":[{"id":2},{"id":3}],${tags}}`), 'record');
    assert.equal(verdict(`{"id":"a","y":[{"k":2,"k":3}],${tags}}`), 'malformed');
    // Many keys: past the point where the key stack grows.
    const many = Array.from({ length: 200 }, (_, i) => `"k${i}":${i}`).join(',');
    assert.equal(verdict(`{"id":"a",${many},${tags}}`), 'record');
    assert.equal(verdict(`{"id":"a",${many},"k150":0,${tags}}`), 'malformed');
    assert.equal(scanner.reason, "duplicate key 'k150'");
  });
});
