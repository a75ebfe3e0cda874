import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HashSet64 } from './hash-set64.js';

describe('HashSet64', () => {
  it('behaves as a set of 64-bit values, zero and collisions in the low bits included (property)', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(u32, fc.constant(0)), fc.oneof(u32, fc.constant(0), fc.constant(7))), { maxLength: 400 }), (pairs) => {
        const set = new HashSet64(pairs.length);
        const reference = new Set<string>();
        for (const [hi, lo] of pairs) {
          const key = `${hi}:${lo}`;
          assert.equal(set.add(hi, lo), !reference.has(key), key);
          reference.add(key);
        }
        assert.equal(set.size, reference.size);
      }),
      { numRuns: 200 },
    );
  });

  it('takes exactly 16 bytes a record, not a power of two above it', () => {
    const expected = 1_000_001;
    const set = new HashSet64(expected) as unknown as { table: Uint32Array };
    assert.equal(set.table.byteLength, expected * 16);
    const full = new HashSet64(3);
    for (let i = 1; i <= 6; i++) assert.equal(full.add(i, i), true);
  });
});
