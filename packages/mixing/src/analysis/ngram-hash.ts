/**
 * 64-bit n-gram fingerprints as two independent 32-bit lanes, computed with Math.imul so no BigInt
 * or string is made per n-gram. Each word gets two 32-bit hashes (seeded FNV-style mixes with a
 * murmur3 finaliser); an n-gram's lanes fold its words in order. Accidental collisions between
 * distinct n-grams are about 2^-64 per pair: negligible for benchmark-sized indexes.
 */
export interface WordHashes {
  readonly a: Uint32Array;
  readonly b: Uint32Array;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hashWords(words: readonly string[]): WordHashes {
  const a = new Uint32Array(words.length);
  const b = new Uint32Array(words.length);
  words.forEach((w, i) => {
    let x = 0x811c9dc5;
    let y = 0x9747b28c;
    for (let k = 0; k < w.length; k++) {
      const c = w.charCodeAt(k);
      x = Math.imul(x ^ c, 0x01000193);
      y = Math.imul(y ^ c, 0x5bd1e995);
      y ^= y >>> 15;
    }
    a[i] = fmix32(x ^ w.length);
    b[i] = fmix32(y ^ Math.imul(w.length, 0x27d4eb2f));
  });
  return { a, b };
}

/** Calls `visit(hi, lo, start)` for each n-gram of `n` consecutive words. */
export function forEachNgram(h: WordHashes, n: number, visit: (hi: number, lo: number, start: number) => void): void {
  for (let start = 0; start + n <= h.a.length; start++) {
    let hi = 0x3c6ef372;
    let lo = 0xa54ff53a;
    for (let j = 0; j < n; j++) {
      hi = Math.imul((hi ^ (h.a[start + j] ?? 0)) >>> 0, 0x9e3779b1);
      hi ^= hi >>> 15;
      lo = Math.imul((lo ^ (h.b[start + j] ?? 0)) >>> 0, 0x85ebca77);
      lo ^= lo >>> 13;
    }
    visit(fmix32(hi ^ n), fmix32(lo), start);
  }
}
