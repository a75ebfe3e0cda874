/**
 * Text that came from a user or from data, made safe to print on an operator's terminal: every control
 * character (C0 including CR, LF and TAB, DEL, C1) and every bidirectional-formatting character is shown
 * escaped, so a dataset line, a spec field or an API answer can neither recolour, retitle or clear the
 * terminal nor forge or reorder the rows around it. Printable text, including non-Latin scripts, is kept.
 *
 * @example
 * process.stdout.write(`launched by ${terminalText(view.launchedBy)}\n`);
 */

// C0, DEL, C1; the bidi marks, embeddings, overrides and isolates (U+061C, U+200E-F, U+202A-E, U+2066-9);
// line/paragraph separators (U+2028-9), which some terminals treat as newlines.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every character that could drive or reorder a terminal shown escaped (`\x1b`, `\u202e`, `\n`). */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/** Like {@link terminalText}, for multi-line text the program lays out itself: each line is escaped, the line breaks kept. */
export function terminalLines(text: string): string {
  return text.split('\n').map(terminalText).join('\n');
}
