import { TextDecoder } from 'node:util';

/** The tags the mixer filters and counts on; other tags travel with the record untouched. */
export interface MixTags {
  readonly kind: 'regular' | 'trait';
  /** Null for regular prompts. */
  readonly trait: string | null;
  readonly domain: string;
}

export type ParsedLine =
  | { readonly type: 'blank' }
  | { readonly type: 'record'; readonly tags: MixTags }
  | { readonly type: 'malformed'; readonly reason: string };

// fatal: invalid UTF-8 must surface as a malformed line, not as silently replaced characters.
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Classifies one source line. Only what the mixer needs is checked (id and the filter tags), so a
 * dataset with extra fields or a different message shape still mixes; full record validation is the
 * trainer's business.
 */
export function parseLine(bytes: Uint8Array): ParsedLine {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { type: 'malformed', reason: 'not valid UTF-8' };
  }
  if (text.trim() === '') return { type: 'blank' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { type: 'malformed', reason: `not JSON (${(err as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { type: 'malformed', reason: 'not a JSON object' };
  }
  const rec = value as { id?: unknown; tags?: unknown };
  if (typeof rec.id !== 'string' || rec.id === '') return { type: 'malformed', reason: "'id' must be a non-empty string" };
  const tags = rec.tags as { kind?: unknown; trait?: unknown; domain?: unknown } | undefined;
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) {
    return { type: 'malformed', reason: "'tags' must be an object" };
  }
  if (tags.kind !== 'regular' && tags.kind !== 'trait') {
    return { type: 'malformed', reason: "'tags.kind' must be 'regular' or 'trait'" };
  }
  if (typeof tags.domain !== 'string') return { type: 'malformed', reason: "'tags.domain' must be a string" };
  if (tags.trait !== null && typeof tags.trait !== 'string') {
    return { type: 'malformed', reason: "'tags.trait' must be a string or null" };
  }
  return { type: 'record', tags: { kind: tags.kind, trait: tags.trait, domain: tags.domain } };
}
