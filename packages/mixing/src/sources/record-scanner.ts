import { bytesExcerpt, VALUE_EXCERPT_BYTES } from './excerpt.js';
import { Field, FIELD_NAMES, type TagSchema } from './tag-schema.js';

/**
 * A single-pass byte-level JSON scanner for one record line. It validates the line as JSON (the same
 * grammar JSON.parse accepts), finds the byte spans of the tag-schema fields, and computes the record's
 * normalised content hash on the way, without building any JS values. JSON.parse is used only on the
 * rare paths (a key with escapes). Unlike JSON.parse, a member name given twice in one object makes
 * the line malformed ("duplicate key"): with "last wins" a record could carry a tag a reader of the
 * first member never sees. Reasons name byte positions, never the line's text.
 *
 * Normalised content hash (64 bits, as two uint32 lanes), defined recursively on the parsed value:
 * - string: its decoded characters (escapes resolved; `\uXXXX` hashed as the code point's UTF-8 bytes)
 *   with ASCII letters lowercased and every run of ASCII whitespace (TAB, LF, VT, FF, CR, SPACE)
 *   collapsed to one space, leading and trailing whitespace dropped. Non-ASCII bytes are hashed as is.
 * - number: its source text with `E` lowercased (so `1e5` = `1E5`, but `1.0` ≠ `1`).
 * - true / false / null: a fixed hash each.
 * - array: its element hashes in order.
 * - object: the sum (mod 2^32 per lane) of one hash per member, each mixing the member's normalised key
 *   with its value's hash, then finalised with the member count. A sum does not depend on member order,
 *   which is the same as hashing the members in sorted-key order. The member at the schema's id path is
 *   left out, so records that differ only in id hash alike.
 * Each kind of value starts from its own seed so that, say, "1" and 1 differ. JSON whitespace outside
 * strings never reaches the hash.
 */

// All hash state is kept as int32 (`| 0`), which V8 holds unboxed; uint32 only on the way out.
const P1 = 0x01000193 | 0;
const P2 = 0x5bd1e995 | 0;
const SEED_STRING_A = 0x811c9dc5 | 0;
const SEED_STRING_B = 0x2f8b1a37 | 0;
const SEED_NUMBER_A = 0x6a09e667 | 0;
const SEED_NUMBER_B = 0xbb67ae85 | 0;
const SEED_ARRAY = 0x3c6ef372 | 0;
const SEED_OBJECT = 0xa54ff53a | 0;
const HASH_TRUE_A = 0x510e527f | 0;
const HASH_TRUE_B = 0x9b05688c | 0;
const HASH_FALSE_A = 0x1f83d9ab | 0;
const HASH_FALSE_B = 0x5be0cd19 | 0;
const HASH_NULL_A = 0xcbbb9d5d | 0;
const HASH_NULL_B = 0x629a292a | 0;
const MAX_DEPTH = 512;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Murmur3's block step: folds one 32-bit word into a lane. */
function feed(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

class SyntaxFault {
  constructor(readonly detail: string) {}
}
const TOO_DEEP = 'too deep';

/** A member name that appears twice in one object: JSON.parse would keep the last silently. */
class DuplicateKey {
  constructor(readonly key: string) {}
}

interface TrieNode {
  readonly keys: Uint8Array[];
  readonly fields: number[];
  readonly children: (TrieNode | null)[];
}

function buildTrie(schema: TagSchema): TrieNode {
  const root: TrieNode = { keys: [], fields: [], children: [] };
  FIELD_NAMES.forEach((name, field) => {
    let node = root;
    const segments = schema[name].split('.');
    segments.forEach((segment, i) => {
      const bytes = Buffer.from(segment, 'utf8');
      let at = node.keys.findIndex((k) => Buffer.compare(k, bytes) === 0);
      if (at === -1) {
        node.keys.push(bytes);
        node.fields.push(-1);
        node.children.push(null);
        at = node.keys.length - 1;
      }
      if (i === segments.length - 1) node.fields[at] = field;
      else {
        let child = node.children[at] ?? null;
        if (child === null) {
          child = { keys: [], fields: [], children: [] };
          node.children[at] = child;
        }
        node = child;
      }
    });
  });
  return root;
}

export type LineVerdict = 'record' | 'blank' | 'malformed';

/** Scans lines; after `scan` returns 'record', the span and hash fields describe that record. */
export class RecordScanner {
  private buf: Uint8Array = Buffer.alloc(0);
  private dv: DataView = new DataView(new ArrayBuffer(0));
  private pos = 0;
  private end = 0;
  private h1 = 0;
  private h2 = 0;
  private readonly root: TrieNode;
  /** Value spans [start, end) in the buffer of the fields, by Field number; -1 when absent. */
  readonly spanStart = new Float64Array(4);
  readonly spanEnd = new Float64Array(4);
  hashHi = 0;
  hashLo = 0;
  reason = '';

  constructor(private readonly schema: TagSchema) {
    this.root = buildTrie(schema);
  }

  /** Classifies buf[start, end), a line without its terminator; invalid UTF-8 must be ruled out first. */
  scan(buf: Uint8Array, start: number, end: number): LineVerdict {
    if (buf !== this.buf) {
      this.buf = buf;
      this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    this.pos = start;
    this.end = end;
    this.skipWs();
    if (this.pos === end) return 'blank';
    const spanStart = this.spanStart;
    spanStart[0] = -1;
    spanStart[1] = -1;
    spanStart[2] = -1;
    spanStart[3] = -1;
    this.keyTop = 0;
    const isObject = buf[this.pos] === 0x7b;
    try {
      if (isObject) {
        this.pos += 1;
        this.parseObject(this.root, 1);
      } else this.parseValue(null, 1);
      this.skipWs();
      if (this.pos !== end) throw new SyntaxFault('unexpected bytes after the value');
    } catch (err) {
      if (err instanceof DuplicateKey) return this.fail(`duplicate key '${err.key}'`);
      if (err instanceof RangeError) return this.fail(`JSON nested deeper than ${MAX_DEPTH} levels`);
      if (!(err instanceof SyntaxFault)) throw err;
      if (err.detail === TOO_DEEP) return this.fail(`JSON nested deeper than ${MAX_DEPTH} levels`);
      // The reason names a position, never the line's text: reasons reach registration.json and errors.
      return this.fail(`not JSON (${err.detail} at byte ${Math.min(this.pos, end) - start + 1})`);
    }
    if (!isObject) return this.fail('not a JSON object');
    this.hashHi = this.h1 >>> 0;
    this.hashLo = this.h2 >>> 0;
    return this.checkFields();
  }

  private checkFields(): LineVerdict {
    const buf = this.buf;
    const typeOf = (f: number): number => (this.spanStart[f]! < 0 ? -1 : buf[this.spanStart[f]!]!);
    if (typeOf(Field.id) !== QUOTE || this.spanEnd[Field.id]! - this.spanStart[Field.id]! <= 2) {
      return this.fail(`'${this.schema.id}' must be a non-empty string`);
    }
    // kind is optional for the mix itself (a filter on kind, a trainer format or the reference trainer
    // needs it, and they check it where they are used), but when present it is a string or null.
    const kind = typeOf(Field.kind);
    if (kind !== -1 && kind !== QUOTE && kind !== 0x6e) return this.fail(`'${this.schema.kind}' must be a string or null when present`);
    const trait = typeOf(Field.trait);
    if (trait !== QUOTE && trait !== 0x6e) return this.fail(`'${this.schema.trait}' must be a string or null`);
    if (typeOf(Field.domain) !== QUOTE) return this.fail(`'${this.schema.domain}' must be a string`);
    return 'record';
  }

  private fail(reason: string): LineVerdict {
    this.reason = reason;
    return 'malformed';
  }

  /** skipWs when the next byte can be whitespace; compact JSON rarely has any. */
  private skipWsIf(): void {
    if (this.pos < this.end && this.buf[this.pos]! <= 0x20) this.skipWs();
  }

  private skipWs(): void {
    const buf = this.buf;
    let p = this.pos;
    const end = this.end;
    while (p < end) {
      const c = buf[p]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      p++;
    }
    this.pos = p;
  }

  private expect(c: number): void {
    if (this.pos >= this.end || this.buf[this.pos] !== c) throw new SyntaxFault(`expected '${String.fromCharCode(c)}'`);
    this.pos += 1;
  }

  private parseValue(node: TrieNode | null, depth: number): void {
    if (this.pos >= this.end) throw new SyntaxFault('unexpected end');
    const c = this.buf[this.pos]!;
    if (c === QUOTE) {
      this.pos += 1;
      this.parseString();
    } else if (c === 0x7b) {
      if (depth >= MAX_DEPTH) throw new SyntaxFault(TOO_DEEP);
      this.pos += 1;
      this.parseObject(node, depth + 1);
    } else if (c === 0x5b) {
      if (depth >= MAX_DEPTH) throw new SyntaxFault(TOO_DEEP);
      this.pos += 1;
      this.parseArray(depth + 1);
    } else if (c === 0x74) {
      this.literal('true');
      this.h1 = HASH_TRUE_A;
      this.h2 = HASH_TRUE_B;
    } else if (c === 0x66) {
      this.literal('false');
      this.h1 = HASH_FALSE_A;
      this.h2 = HASH_FALSE_B;
    } else if (c === 0x6e) {
      this.literal('null');
      this.h1 = HASH_NULL_A;
      this.h2 = HASH_NULL_B;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) this.parseNumber();
    else throw new SyntaxFault('unexpected byte');
  }

  private literal(word: string): void {
    if (this.pos + word.length > this.end) throw new SyntaxFault('unexpected end');
    for (let i = 0; i < word.length; i++) {
      if (this.buf[this.pos + i] !== word.charCodeAt(i)) throw new SyntaxFault('bad literal');
    }
    this.pos += word.length;
  }

  private parseNumber(): void {
    const buf = this.buf;
    const end = this.end;
    let p = this.pos;
    let a = SEED_NUMBER_A;
    let b = SEED_NUMBER_B;
    const digits = (): void => {
      const from = p;
      while (p < end && buf[p]! >= 0x30 && buf[p]! <= 0x39) {
        a = Math.imul(a ^ buf[p]!, P1);
        b = Math.imul(((b << 5) | (b >>> 27)) ^ buf[p]!, P2);
        p++;
      }
      if (p === from) throw new SyntaxFault('expected a digit');
    };
    const one = (c: number): void => {
      a = Math.imul(a ^ c, P1);
      b = Math.imul(((b << 5) | (b >>> 27)) ^ c, P2);
      p++;
    };
    if (buf[p] === 0x2d) one(0x2d);
    if (buf[p] === 0x30) {
      one(0x30);
      if (p < end && buf[p]! >= 0x30 && buf[p]! <= 0x39) throw new SyntaxFault('leading zero');
    } else digits();
    if (p < end && buf[p] === 0x2e) {
      one(0x2e);
      digits();
    }
    if (p < end && (buf[p] === 0x65 || buf[p] === 0x45)) {
      one(0x65);
      if (p < end && (buf[p] === 0x2b || buf[p] === 0x2d)) one(buf[p]!);
      digits();
    }
    this.pos = p;
    this.h1 = fmix32(a);
    this.h2 = fmix32(b ^ a);
  }

  // String hash state: two murmur3-style lanes over 32-bit words of normalised bytes, a partial word
  // (so the hash does not depend on how the string was cut into runs) and the normalised length.
  private sa = 0;
  private sb = 0;
  private sw = 0;
  private swn = 0;
  private slen = 0;

  /** Adds normalised bytes one at a time (escapes, single spaces); `hashRun` is the fast path. */
  private hashByte(c: number): void {
    this.sw |= c << (this.swn << 3);
    this.slen++;
    if (++this.swn === 4) {
      this.sa = feed(this.sa, this.sw);
      this.sb = feed(this.sb ^ 0x2545f491, this.sw ^ 0x9e3779b9);
      this.sw = 0;
      this.swn = 0;
    }
  }

  /** Adds buf[p, q): bytes > 0x20 other than quote and backslash, and single interior spaces. */
  private hashRun(p: number, q: number): void {
    const buf = this.buf;
    this.slen += q - p;
    while (this.swn !== 0 && p < q) {
      let c = buf[p++]!;
      if (((c - 0x41) >>> 0) < 26) c |= 0x20;
      this.slen--;
      this.hashByte(c);
    }
    let a = this.sa;
    let b = this.sb;
    for (; p + 4 <= q; p += 4) {
      const w = buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24);
      // SWAR lowercase: set bit 5 of each byte in 'A'..'Z'.
      const t = w & 0x7f7f7f7f;
      const upper = (t + 0x3f3f3f3f) & ~(t + 0x25252525) & ~w & 0x80808080;
      const k = w | (upper >>> 2);
      a = feed(a, k);
      b = feed(b ^ 0x2545f491, k ^ 0x9e3779b9);
    }
    this.sa = a;
    this.sb = b;
    while (p < q) {
      let c = buf[p++]!;
      if (((c - 0x41) >>> 0) < 26) c |= 0x20;
      this.slen--;
      this.hashByte(c);
    }
  }

  /**
   * Called with pos just past the opening quote; leaves pos just past the closing one.
   *
   * Fast path for the common string: no escapes, no control bytes, no leading or trailing space and no
   * run of spaces, so that its normalised form is its bytes with ASCII letters lowercased. It reads four
   * bytes at a time and tests them all at once (SWAR), hashing the same 32-bit words `parseStringSlow`
   * would, so both paths give the same hash. Anything else restarts the string on `parseStringSlow`.
   */
  private parseString(): void {
    const buf = this.buf;
    const dv = this.dv;
    const end = this.end;
    const start = this.pos;
    let p = start;
    let a = SEED_STRING_A;
    let b = SEED_STRING_B;
    // 0x80 when the byte before the current word is a space; the string start counts as one, so a
    // leading space is caught like a run.
    let prevSpace = 0x80;
    while (p + 4 <= end) {
      const w = dv.getInt32(p, true);
      const xq = w ^ 0x22222222;
      const xb = w ^ 0x5c5c5c5c;
      // Any quote, backslash or byte below 0x20 in the word (exact "any byte" tests).
      if ((((xq - 0x01010101) & ~xq) | ((xb - 0x01010101) & ~xb) | ((w - 0x20202020) & ~w)) & 0x80808080) break;
      const xs = w ^ 0x20202020;
      const sp = ~(((xs & 0x7f7f7f7f) + 0x7f7f7f7f) | xs) & 0x80808080; // 0x80 in each byte that is a space
      if ((sp & ((sp << 8) | prevSpace)) !== 0) return this.parseStringSlow(start);
      prevSpace = sp >>> 24;
      // SWAR lowercase: set bit 5 of each byte in 'A'..'Z'.
      const t = w & 0x7f7f7f7f;
      const k = w | ((((t + 0x3f3f3f3f) & ~(t + 0x25252525) & ~w & 0x80808080) >>> 2));
      a = feed(a, k);
      b = feed(b ^ 0x2545f491, k ^ 0x9e3779b9);
      p += 4;
    }
    // The last few bytes, one at a time, up to the closing quote.
    let sw = 0;
    let swn = 0;
    let last = prevSpace === 0 ? 0 : 0x20;
    for (;;) {
      if (p >= end) throw new SyntaxFault('unterminated string');
      let c = buf[p]!;
      if (c === QUOTE) break;
      if (c < 0x20 || c === BACKSLASH || (c === 0x20 && last === 0x20)) return this.parseStringSlow(start);
      last = c;
      if (((c - 0x41) >>> 0) < 26) c |= 0x20;
      sw |= c << (swn << 3);
      if (++swn === 4) {
        // Not reached when the word loop ran to a quote, but a short read near the line end can get here.
        a = feed(a, sw);
        b = feed(b ^ 0x2545f491, sw ^ 0x9e3779b9);
        sw = 0;
        swn = 0;
      }
      p++;
    }
    if (last === 0x20 && p > start) return this.parseStringSlow(start);
    const slen = p - start;
    this.pos = p + 1;
    this.plainString = true;
    a = feed(a, sw ^ swn);
    b = feed(b, sw);
    this.h1 = fmix32(a ^ slen);
    this.h2 = fmix32(b ^ Math.imul(slen, P2) ^ this.h1);
  }

  /** The general string path (escapes, whitespace runs): decodes and normalises byte by byte. */
  private parseStringSlow(start: number): void {
    this.pos = start;
    this.plainString = false;
    const buf = this.buf;
    const end = this.end;
    let p = this.pos;
    this.sa = SEED_STRING_A;
    this.sb = SEED_STRING_B;
    this.sw = 0;
    this.swn = 0;
    this.slen = 0;
    let pendingSpace = false;
    let any = false;
    for (;;) {
      if (p >= end) throw new SyntaxFault('unterminated string');
      const c = buf[p]!;
      if (c > 0x20 && c !== QUOTE && c !== BACKSLASH) {
        if (pendingSpace) {
          this.hashByte(0x20);
          pendingSpace = false;
        }
        // A run of plain bytes, single spaces allowed inside it (they are already normalised).
        let q = p + 1;
        for (;;) {
          if (q >= end) throw new SyntaxFault('unterminated string');
          const d = buf[q]!;
          if (d > 0x20 && d !== QUOTE && d !== BACKSLASH) q++;
          else if (d === 0x20 && q + 1 < end && buf[q + 1]! > 0x20 && buf[q + 1] !== QUOTE && buf[q + 1] !== BACKSLASH) q += 2;
          else break;
        }
        this.hashRun(p, q);
        p = q;
        any = true;
        continue;
      }
      if (c === QUOTE) {
        p++;
        break;
      }
      if (c === 0x20) {
        pendingSpace = any;
        p++;
        continue;
      }
      if (c < 0x20) throw new SyntaxFault('control character in string');
      // An escape: decode it to bytes, then hash them like raw ones.
      p = this.unescape(p);
      const n = this.escLength;
      const esc = this.escBytes;
      if (n === 1 && (esc[0] === 0x20 || (esc[0]! >= 0x09 && esc[0]! <= 0x0d))) {
        pendingSpace = any;
        continue;
      }
      if (pendingSpace) {
        this.hashByte(0x20);
        pendingSpace = false;
      }
      for (let i = 0; i < n; i++) {
        let x = esc[i]!;
        if (((x - 0x41) >>> 0) < 26) x |= 0x20;
        this.hashByte(x);
      }
      any = true;
    }
    this.pos = p;
    const a = feed(this.sa, this.sw ^ this.swn);
    const b = feed(this.sb, this.sw);
    this.h1 = fmix32(a ^ this.slen);
    this.h2 = fmix32(b ^ Math.imul(this.slen, P2) ^ this.h1);
  }

  /** Whether the last string parsed took the fast path, so holds no backslash. */
  private plainString = false;
  private readonly escBytes = new Uint8Array(4);
  private escLength = 0;

  /**
   * Decodes the escape at buf[p] (a backslash) into escBytes as UTF-8 (lone surrogates in their 3-byte
   * form, as WTF-8 writes them); returns the position after it.
   */
  private unescape(p: number): number {
    const buf = this.buf;
    if (p + 1 >= this.end) throw new SyntaxFault('unterminated string');
    const e = buf[p + 1]!;
    p += 2;
    const out = this.escBytes;
    this.escLength = 1;
    if (e === 0x6e) out[0] = 0x0a;
    else if (e === QUOTE || e === BACKSLASH || e === 0x2f) out[0] = e;
    else if (e === 0x74) out[0] = 0x09;
    else if (e === 0x72) out[0] = 0x0d;
    else if (e === 0x62) out[0] = 0x08;
    else if (e === 0x66) out[0] = 0x0c;
    else if (e === 0x75) {
      let cp = this.hex4(p);
      p += 4;
      if (cp >= 0xd800 && cp <= 0xdbff && p + 6 <= this.end && buf[p] === BACKSLASH && buf[p + 1] === 0x75) {
        const lo = this.hex4(p + 2);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          p += 6;
        }
      }
      if (cp < 0x80) out[0] = cp;
      else if (cp < 0x800) {
        out[0] = 0xc0 | (cp >> 6);
        out[1] = 0x80 | (cp & 63);
        this.escLength = 2;
      } else if (cp < 0x10000) {
        out[0] = 0xe0 | (cp >> 12);
        out[1] = 0x80 | ((cp >> 6) & 63);
        out[2] = 0x80 | (cp & 63);
        this.escLength = 3;
      } else {
        out[0] = 0xf0 | (cp >> 18);
        out[1] = 0x80 | ((cp >> 12) & 63);
        out[2] = 0x80 | ((cp >> 6) & 63);
        out[3] = 0x80 | (cp & 63);
        this.escLength = 4;
      }
    } else throw new SyntaxFault('bad escape');
    return p;
  }

  private hex4(p: number): number {
    if (p + 4 > this.end) throw new SyntaxFault('bad \\u escape');
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.buf[p + i]!;
      const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
      if (d < 0) throw new SyntaxFault('bad \\u escape');
      v = (v << 4) | d;
    }
    return v;
  }

  private parseArray(depth: number): void {
    let a = SEED_ARRAY;
    let b = SEED_ARRAY ^ 0x5555;
    let n = 0;
    this.skipWsIf();
    if (this.pos < this.end && this.buf[this.pos] === 0x5d) {
      this.pos += 1;
    } else {
      for (;;) {
        this.skipWsIf();
        this.parseValue(null, depth);
        a = feed(a, this.h1);
        b = feed(b, this.h2 ^ a);
        n++;
        this.skipWsIf();
        if (this.pos >= this.end) throw new SyntaxFault('unterminated array');
        const c = this.buf[this.pos++]!;
        if (c === 0x5d) break;
        if (c !== 0x2c) throw new SyntaxFault("expected ',' or ']'");
      }
    }
    this.h1 = fmix32(a ^ n);
    this.h2 = fmix32(b ^ Math.imul(n, P2) ^ this.h1);
  }

  // Keys of the objects being parsed, innermost last: hash lanes and the span between the quotes. An
  // object's keys sit from its base to keyTop, so a duplicate costs a few integer compares to find.
  private keyA = new Int32Array(64);
  private keyB = new Int32Array(64);
  private keyFrom = new Float64Array(64);
  private keyTo = new Float64Array(64);
  private keyTop = 0;

  /** Records the key just parsed (its hash in h1/h2) unless the object already has it. */
  private pushKey(base: number, from: number, to: number): void {
    const a = this.h1;
    const b = this.h2;
    const top = this.keyTop;
    const keyA = this.keyA;
    for (let i = base; i < top; i++) {
      if (keyA[i] === a && this.keyB[i] === b && this.sameKey(this.keyFrom[i]!, this.keyTo[i]!, from, to)) {
        throw new DuplicateKey(bytesExcerpt(this.buf, from, to, VALUE_EXCERPT_BYTES));
      }
    }
    if (top === this.keyA.length) {
      const grow = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
        const next = make(old.length * 2);
        next.set(old);
        return next;
      };
      this.keyA = grow(this.keyA, (n) => new Int32Array(n));
      this.keyB = grow(this.keyB, (n) => new Int32Array(n));
      this.keyFrom = grow(this.keyFrom, (n) => new Float64Array(n));
      this.keyTo = grow(this.keyTo, (n) => new Float64Array(n));
    }
    this.keyA[top] = a;
    this.keyB[top] = b;
    this.keyFrom[top] = from;
    this.keyTo[top] = to;
    this.keyTop = top + 1;
  }

  /** Whether two keys (spans between their quotes) decode to the same string; the hash matched already. */
  private sameKey(aFrom: number, aTo: number, bFrom: number, bTo: number): boolean {
    const buf = this.buf;
    if (aTo - aFrom === bTo - bFrom) {
      let same = true;
      for (let i = 0; i < aTo - aFrom; i++) {
        if (buf[aFrom + i] !== buf[bFrom + i]) {
          same = false;
          break;
        }
      }
      if (same) return true;
    }
    // Spelled differently: equal only through escapes (or a hash collision), so decode both.
    return this.decodedKey(aFrom, aTo) === this.decodedKey(bFrom, bTo);
  }

  private decodedKey(from: number, to: number): string {
    return JSON.parse(Buffer.from(this.buf.buffer, this.buf.byteOffset + from - 1, to - from + 2).toString('utf8')) as string;
  }

  private parseObject(node: TrieNode | null, depth: number): void {
    let s1 = 0;
    let s2 = 0;
    let n = 0;
    const keyBase = this.keyTop;
    this.skipWsIf();
    if (this.pos < this.end && this.buf[this.pos] === 0x7d) {
      this.pos += 1;
    } else {
      for (;;) {
        this.skipWsIf();
        this.expect(QUOTE);
        const keyStart = this.pos;
        this.parseString();
        const k1 = this.h1;
        const k2 = this.h2;
        this.pushKey(keyBase, keyStart, this.pos - 1);
        let field = -1;
        let child: TrieNode | null = null;
        if (node !== null) {
          const at = this.matchKey(node, keyStart, this.pos - 1);
          if (at >= 0) {
            field = node.fields[at]!;
            child = node.children[at] ?? null;
          }
        }
        this.skipWsIf();
        this.expect(0x3a);
        this.skipWsIf();
        const valueStart = this.pos;
        this.parseValue(child, depth);
        if (field >= 0) {
          this.spanStart[field] = valueStart;
          this.spanEnd[field] = this.pos;
        }
        if (field !== Field.id) {
          const m1 = fmix32(feed(feed(SEED_OBJECT, k1), this.h1));
          const m2 = fmix32(feed(feed(SEED_OBJECT ^ m1, k2), this.h2));
          s1 = (s1 + m1) | 0;
          s2 = (s2 + m2) | 0;
          n++;
        }
        this.skipWsIf();
        if (this.pos >= this.end) throw new SyntaxFault('unterminated object');
        const c = this.buf[this.pos++]!;
        if (c === 0x7d) break;
        if (c !== 0x2c) throw new SyntaxFault("expected ',' or '}'");
      }
    }
    this.keyTop = keyBase;
    this.h1 = fmix32(feed(feed(SEED_OBJECT, s1), n));
    this.h2 = fmix32(feed(feed(SEED_OBJECT ^ this.h1, s2), n));
  }

  /** Index of the trie key equal to the decoded key buf[start, end), or -1. */
  private matchKey(node: TrieNode, start: number, end: number): number {
    const buf = this.buf;
    let escaped = false;
    if (!this.plainString) {
      for (let p = start; p < end; p++) {
        if (buf[p] === BACKSLASH) {
          escaped = true;
          break;
        }
      }
    }
    if (escaped) {
      const key = Buffer.from(JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + start - 1, end - start + 2).toString('utf8')) as string, 'utf8');
      return node.keys.findIndex((k) => Buffer.compare(k, key) === 0);
    }
    const len = end - start;
    outer: for (let i = 0; i < node.keys.length; i++) {
      const k = node.keys[i]!;
      if (k.length !== len) continue;
      for (let j = 0; j < len; j++) if (k[j] !== buf[start + j]) continue outer;
      return i;
    }
    return -1;
  }
}
