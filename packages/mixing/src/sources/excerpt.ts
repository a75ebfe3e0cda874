/**
 * What of a source's content may leave the scanner: a quarantined line, a duplicate key or an unknown
 * tag value is kept only as a short escaped excerpt, so that a source that should never have been read
 * (a credentials file, say) is not copied into the store, an error or a terminal.
 */

/** Most UTF-8 bytes an excerpt of a quarantined line holds, escapes included. */
export const EXCERPT_BYTES = 200;
/** Most UTF-8 bytes of a key or tag value quoted in a reason or an error message. */
export const VALUE_EXCERPT_BYTES = 40;

/** C0, DEL, C1, the bidi controls and the line/paragraph separators: shown as `\uXXXX`. */
function needsEscape(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    (cp >= 0x200e && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0x061c ||
    cp === 0xfeff
  );
}

/**
 * `text` with control and bidi characters escaped, cut on a character boundary so that its UTF-8 form
 * is at most `maxBytes`; a cut is marked with '…' (counted in the limit).
 */
export function escapedExcerpt(text: string, maxBytes: number = EXCERPT_BYTES): string {
  const pieces: string[] = [];
  const sizes: number[] = [];
  let total = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const piece = needsEscape(cp) ? `\\u${cp.toString(16).padStart(4, '0')}` : ch;
    pieces.push(piece);
    sizes.push(Buffer.byteLength(piece, 'utf8'));
    total += sizes[sizes.length - 1]!;
    if (total > maxBytes * 2) break;
  }
  if (total <= maxBytes) return pieces.join('');
  let out = '';
  let bytes = 0;
  for (let i = 0; i < pieces.length && bytes + sizes[i]! <= maxBytes - ELLIPSIS_BYTES; i++) {
    out += pieces[i];
    bytes += sizes[i]!;
  }
  return `${out}…`;
}

const ELLIPSIS_BYTES = 3;

/**
 * An excerpt of the bytes buf[start, end): at most `maxBytes` of them are decoded (a partial UTF-8
 * sequence at the cut is dropped, invalid bytes become U+FFFD), then escaped and cut as above.
 */
export function bytesExcerpt(buf: Uint8Array, start: number, end: number, maxBytes: number = EXCERPT_BYTES): string {
  let stop = Math.min(end, start + maxBytes + 4);
  // Cut before a continuation byte's sequence rather than decode half a character as U+FFFD.
  while (stop < end && stop > start && (buf[stop]! & 0xc0) === 0x80) stop--;
  return escapedExcerpt(Buffer.from(buf.buffer, buf.byteOffset + start, stop - start).toString('utf8'), maxBytes);
}
