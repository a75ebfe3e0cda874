import { createHash } from 'node:crypto';

/** The four 32-bit words of a xoshiro128** generator; saved in checkpoints so a resumed run continues the same stream. */
export type RngState = [number, number, number, number];

/**
 * xoshiro128** (Blackman & Vigna): small, fast, and its whole state fits in a checkpoint. Every random
 * choice in this package goes through it, so one seed reproduces a run bit for bit.
 */
export class Rng {
  private s: RngState;

  private constructor(state: RngState) {
    this.s = [...state];
  }

  /** Seeds from any parts (numbers, strings, hashes): sha256 of their joined text gives the state. */
  static from(...parts: readonly (string | number)[]): Rng {
    const digest = createHash('sha256').update(parts.map(String).join('\u001f')).digest();
    const state: RngState = [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)];
    // The all-zero state is the one state xoshiro cannot leave.
    if (state.every((w) => w === 0)) state[0] = 1;
    return new Rng(state);
  }

  static restore(state: RngState): Rng {
    return new Rng(state);
  }

  state(): RngState {
    return [...this.s];
  }

  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] = (s[2] ^ s[0]) >>> 0;
    s[3] = (s[3] ^ s[1]) >>> 0;
    s[1] = (s[1] ^ s[2]) >>> 0;
    s[0] = (s[0] ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextUint32() / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** Standard normal draw (Box-Muller; consumes two uniforms). */
  normal(): number {
    // 1 - float() lies in (0, 1], so the logarithm is finite.
    const u1 = 1 - this.float();
    const u2 = this.float();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Index drawn with probability proportional to `weights`. */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let u = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]!;
      if (u < 0) return i;
    }
    return weights.length - 1;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
