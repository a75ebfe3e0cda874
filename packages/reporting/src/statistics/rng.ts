import { InvalidArgumentError } from '../errors.js';

const TWO_POW_32 = 4294967296;
const TWO_POW_16 = 65536;
const TWO_POW_MINUS_32 = 1 / TWO_POW_32;
const TWO_POW_MINUS_53 = 1 / 9007199254740992;
// Below this bound u·n (u < 2³², n ≤ 2²¹) is an exact double, so the multiply-shift index below is exact.
const MULTIPLY_SHIFT_MAX_N = 2 ** 21;

/**
 * One step of a SplitMix-style seeder (Steele, Lea & Flood 2014): a Weyl sequence through a 32-bit
 * avalanche finaliser, so that nearby seeds (1, 2, 3…) give unrelated xoshiro states.
 */
function splitMix32(state: { x: number }): number {
  state.x = (state.x + 0x9e3779b9) | 0;
  let z = state.x;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/**
 * A seeded pseudo-random generator: xoshiro128** (Blackman & Vigna 2018, "Scrambled linear
 * pseudorandom number generators"), 128 bits of state in 32-bit integer arithmetic, seeded through
 * SplitMix32. Chosen because it is fast in JavaScript (only `Math.imul` and shifts), passes BigCrush,
 * and gives the same stream on every platform, so a Monte Carlo test or a bootstrap interval is
 * reproducible from its seed alone. Not for cryptography.
 *
 * @example
 * const rng = new Rng(42);
 * const u = rng.uniform(); // [0, 1)
 * const z = rng.normal();  // N(0, 1)
 * const i = rng.int(10);   // 0..9
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Box–Muller makes normals in pairs; the second waits here. */
  private spareNormal: number | null = null;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new InvalidArgumentError(`Rng needs an integer seed, got ${seed}`);
    // Fold the high bits in so that seeds differing only above bit 32 still give different streams.
    const state = { x: (seed % TWO_POW_32) ^ Math.floor(seed / TWO_POW_32) };
    this.s0 = splitMix32(state);
    this.s1 = splitMix32(state);
    this.s2 = splitMix32(state);
    this.s3 = splitMix32(state);
    // The all-zero state is the one fixed point of xoshiro; SplitMix32 practically never yields it.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * TWO_POW_MINUS_53;
  }

  /** A standard normal draw, by the Box–Muller transform (Box & Muller 1958). */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    const u1 = 1 - this.uniform(); // (0, 1], so the log is finite
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spareNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /**
   * A uniform integer in 0..n−1, without modulo bias: Lemire's multiply-shift with rejection
   * (Lemire 2019, "Fast random integer generation in an interval") for n ≤ 2²¹, plain rejection above.
   */
  int(n: number): number {
    checkRange(n);
    if (n <= MULTIPLY_SHIFT_MAX_N) return this.multiplyShift(n, (TWO_POW_32 - n) % n);
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const u = this.nextUint32();
      if (u < limit) return u % n;
    }
  }

  /**
   * The sum of `values` at `values.length` indices drawn uniformly with replacement: one bootstrap
   * resample's total, without materialising its indices. For up to 2¹⁶ values each 32-bit output
   * gives two indices, one per 16-bit half, each by Lemire's multiply-shift with rejection (exactly
   * uniform; about n/2¹⁶ of halves are rejected), which halves the generator's work against
   * drawing each index with `int`. The stream of draws therefore differs from `int`'s; the distribution does not.
   */
  sumOfDraws(values: Float64Array): number {
    const n = values.length;
    checkRange(n);
    if (n > TWO_POW_16) {
      let total = 0;
      for (let i = 0; i < n; i++) total += values[this.int(n)] as number;
      return total;
    }
    const threshold = (TWO_POW_16 - n) % n;
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    let total = 0;
    let drawn = 0;
    while (drawn < n) {
      const u = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      // Both products stay below 2³²: exact in doubles, and >>> 16 keeps their high halves.
      const high = (u >>> 16) * n;
      if ((high & 0xffff) >= threshold) {
        total += values[high >>> 16] as number;
        drawn++;
      }
      if (drawn < n) {
        const low = (u & 0xffff) * n;
        if ((low & 0xffff) >= threshold) {
          total += values[low >>> 16] as number;
          drawn++;
        }
      }
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return total;
  }

  private multiplyShift(n: number, threshold: number): number {
    for (;;) {
      const product = this.nextUint32() * n;
      const high = Math.floor(product * TWO_POW_MINUS_32);
      if (product - high * TWO_POW_32 >= threshold) return high;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function checkRange(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
    throw new InvalidArgumentError(`Rng.int needs an integer 1 ≤ n ≤ 2^32, got ${n}`);
  }
}
