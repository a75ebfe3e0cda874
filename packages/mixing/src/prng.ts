import { createHash } from 'node:crypto';

/**
 * A small seeded PRNG (sfc32) so that selection is a pure function of the spec: Math.random and
 * crypto randomness would make two builds of the same mix differ.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(a: number, b: number, c: number, d: number) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    // Discard the first outputs: sfc32 mixes its state poorly right after seeding.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Seeds from sha256 of the parts, so that nearby seeds and similar names give unrelated streams. */
  static fromParts(...parts: readonly (string | number)[]): SeededRandom {
    const digest = createHash('sha256').update(parts.map(String).join('\u0000')).digest();
    return new SeededRandom(digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12));
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform integer in [0, n), without modulo bias (rejection sampling). */
  below(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`below(n) needs a positive safe integer, got ${n}`);
    if (n <= 2 ** 32) {
      const limit = Math.floor(2 ** 32 / n) * n;
      for (;;) {
        const x = this.nextUint32();
        if (x < limit) return x % n;
      }
    }
    const limit = Math.floor(2 ** 53 / n) * n;
    for (;;) {
      const x = this.nextUint32() * 2 ** 21 + (this.nextUint32() >>> 11);
      if (x < limit) return x % n;
    }
  }
}
