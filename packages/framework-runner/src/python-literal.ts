/** A value of a flat Python dict literal as `repr` prints it. */
export type PythonScalar = string | number | boolean | null;

/**
 * Parses one flat Python dict literal with string keys, as `print(dict)` writes it:
 * `{'loss': '0.0123', 'epoch': 1, 'done': True}`. Values may be strings (either quote, with
 * backslash escapes), ints, floats (also `inf`, `-inf`, `nan`), `True`, `False` or `None`. Anything
 * else (nesting, trailing text, a malformed token) answers null: never evaluated, never guessed.
 */
export function parsePythonDict(text: string): Map<string, PythonScalar> | null {
  const p = new Parser(text.trim());
  try {
    const out = p.dict();
    return p.atEnd() ? out : null;
  } catch (err) {
    // RangeError: an escape naming a code point beyond Unicode.
    if (err instanceof SyntaxError || err instanceof RangeError) return null;
    throw err;
  }
}

const NUMBER = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', '0': '\0' };

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    this.ws();
    return this.i === this.s.length;
  }

  dict(): Map<string, PythonScalar> {
    const out = new Map<string, PythonScalar>();
    this.expect('{');
    this.ws();
    if (this.peek() === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      const key = this.string();
      this.ws();
      this.expect(':');
      this.ws();
      out.set(key, this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') throw new SyntaxError(`expected ',' or '}' at ${this.i - 1}`);
    }
  }

  private value(): PythonScalar {
    const c = this.peek();
    if (c === "'" || c === '"') return this.string();
    for (const [word, value] of [
      ['True', true],
      ['False', false],
      ['None', null],
      ['nan', Number.NaN],
      ['inf', Number.POSITIVE_INFINITY],
      ['-inf', Number.NEGATIVE_INFINITY],
    ] as const) {
      if (this.s.startsWith(word, this.i) && !/[A-Za-z0-9_]/.test(this.s[this.i + word.length] ?? '')) {
        this.i += word.length;
        return value;
      }
    }
    const m = NUMBER.exec(this.s.slice(this.i));
    if (m === null) throw new SyntaxError(`unexpected value at ${this.i}`);
    this.i += m[0].length;
    return Number(m[0]);
  }

  private string(): string {
    const quote = this.s[this.i];
    if (quote !== "'" && quote !== '"') throw new SyntaxError(`expected a string at ${this.i}`);
    this.i++;
    let out = '';
    for (;;) {
      const c = this.s[this.i++];
      if (c === undefined) throw new SyntaxError('unterminated string');
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.i++];
      if (e === undefined) throw new SyntaxError('unterminated escape');
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        continue;
      }
      const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      const hex = this.s.slice(this.i, this.i + width);
      if (width === 0 || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) throw new SyntaxError(`unknown escape \\${e}`);
      out += String.fromCodePoint(parseInt(hex, 16));
      this.i += width;
    }
  }

  private ws(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  private peek(): string | undefined {
    return this.s[this.i];
  }

  private expect(c: string): void {
    if (this.s[this.i] !== c) throw new SyntaxError(`expected '${c}' at ${this.i}`);
    this.i++;
  }
}
