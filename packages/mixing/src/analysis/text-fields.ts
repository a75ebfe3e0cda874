/**
 * Which text of a JSON item or record is compared for contamination, and how it is normalised.
 *
 * Text fields: every string found (at any depth) under the top-level keys `prompt`, `question` and
 * `text`, and the `content` of each element of `messages` (a string, or the strings inside a list of
 * content parts). So a plain-string prompt, a chat-list prompt and a chat record all work. Each
 * string is compared on its own: n-grams never run across two fields.
 *
 * Normalisation: Unicode NFKC, lowercase, punctuation and symbols (Unicode P* and S*) deleted, then
 * split on whitespace. "Don't!" and "dont" are the same word; "well-known" becomes "wellknown".
 */
export const TEXT_KEYS = ['prompt', 'question', 'text'] as const;

export function textFields(value: unknown): string[] {
  const out: string[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
  const obj = value as Record<string, unknown>;
  for (const key of TEXT_KEYS) collectStrings(obj[key], out);
  if (Array.isArray(obj.messages)) {
    for (const m of obj.messages) {
      if (m !== null && typeof m === 'object') collectStrings((m as { content?: unknown }).content, out);
    }
  }
  return out;
}

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) collectStrings(v, out);
}

const STRIP = /[\p{P}\p{S}]+/gu;

export function normalisedWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(STRIP, '')
    .split(/\s+/u)
    .filter((w) => w !== '');
}
