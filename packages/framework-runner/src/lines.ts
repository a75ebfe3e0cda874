/** Cuts a byte stream into lines (`\n`), keeping a partial last line until it is finished. */
export class LineSplitter {
  private pending = '';
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Uint8Array): void {
    const text = this.pending + this.decoder.decode(chunk, { stream: true });
    const parts = text.split('\n');
    this.pending = parts.pop() ?? '';
    for (const line of parts) this.onLine(line);
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    const rest = this.pending + this.decoder.decode();
    this.pending = '';
    if (rest !== '') this.onLine(rest);
  }
}

const MAX_LINE_CHARS = 1000;

/**
 * The last `size` non-empty lines of a stream, for an error message. Progress bars redraw with carriage
 * returns: only a line's final redraw is kept, and very long lines are cut.
 */
export class LineTail {
  private readonly kept: string[] = [];
  private readonly splitter = new LineSplitter((line) => this.add(line));

  constructor(private readonly size: number) {}

  push(chunk: Uint8Array): void {
    this.splitter.push(chunk);
  }

  lines(): string[] {
    this.splitter.end();
    return [...this.kept];
  }

  private add(line: string): void {
    const whole = line.replace(/\r+$/, '');
    const text = whole.slice(whole.lastIndexOf('\r') + 1).trimEnd();
    if (text.trim() === '') return;
    this.kept.push(text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}…` : text);
    if (this.kept.length > this.size) this.kept.shift();
  }
}
