// Text fitting for SVG, which neither wraps nor truncates by itself.

/** At most `max` characters (whole code points), with "…" when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/** Greedy word wrap into lines of at most `width` characters; a word longer than a line is cut. */
export function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (Array.from(candidate).length <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = truncate(word, width);
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = truncate(`${kept[maxLines - 1]!} …`, width);
  return kept;
}
