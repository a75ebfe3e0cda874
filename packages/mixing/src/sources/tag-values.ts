import { UnknownTagValueError } from './errors.js';
import { escapedExcerpt, VALUE_EXCERPT_BYTES } from './excerpt.js';
import { forEachIndexChunk } from './index-file.js';
import { lineAt } from './line-at.js';
import type { TagSchema } from './tag-schema.js';

export type TagName = 'kind' | 'trait' | 'domain';
const TAG_NAMES: readonly TagName[] = ['kind', 'trait', 'domain'];

/** Tag values a source may use besides the built-in vocabulary, per tag. */
export type DeclaredTagValues = Partial<Record<TagName, readonly string[]>>;

/** The values each tag may take; `null` for a tag that is not checked. */
export type AllowedTagValues = Record<TagName, readonly string[] | null>;

/**
 * The built-in vocabulary plus what the source declares. Loaded on first use: the schema package
 * brings zod, which a process that only builds mixes never needs.
 */
export async function allowedTagValues(declared: DeclaredTagValues | undefined): Promise<AllowedTagValues> {
  const { TAG_KINDS, TRAITS, DOMAINS } = await import('@ballast/schema');
  return {
    kind: [...TAG_KINDS, ...(declared?.kind ?? [])],
    trait: [...TRAITS, ...(declared?.trait ?? [])],
    domain: [...DOMAINS, ...(declared?.domain ?? [])],
  };
}

interface Checked {
  readonly path: string;
  readonly dataPath: string;
  readonly indexPath: string;
  readonly records: number;
  readonly tagSchema: TagSchema;
  readonly dictionaries: Record<TagName, readonly (string | null)[]>;
}

/**
 * Fails on the first record (in file order) whose kind, trait or domain is not allowed, naming its line
 * and the closest allowed value. It reads only the small dictionaries unless a value is unknown; then
 * the index (to find that record) and the data up to it (to number its line).
 */
export async function checkTagValues(source: Checked, allowed: AllowedTagValues, signal?: AbortSignal): Promise<void> {
  const unknown = TAG_NAMES.map((tag) => {
    const ok = allowed[tag];
    return new Set(
      ok === null ? [] : source.dictionaries[tag].flatMap((value, code) => (value === null || ok.includes(value) ? [] : [code])),
    );
  });
  if (unknown.every((codes) => codes.size === 0)) return;

  let found: { tag: TagName; code: number; offset: number } | null = null;
  await forEachIndexChunk(source, 65536, (chunk) => {
    signal?.throwIfAborted();
    for (let i = 0; i < chunk.records && found === null; i++) {
      const codes = [chunk.kind(i), chunk.trait(i), chunk.domain(i)];
      const at = codes.findIndex((code, t) => unknown[t]!.has(code));
      if (at !== -1) found = { tag: TAG_NAMES[at]!, code: codes[at]!, offset: chunk.offset(i) };
    }
    if (found !== null) throw STOP;
  }).catch((err: unknown) => {
    if (err !== STOP) throw err;
  });
  const hit = found as { tag: TagName; code: number; offset: number } | null;
  if (hit === null) return;
  const value = source.dictionaries[hit.tag][hit.code] as string;
  const { closestValue } = await import('@ballast/schema');
  throw new UnknownTagValueError(
    source.path,
    hit.tag,
    source.tagSchema[hit.tag],
    escapedExcerpt(value, VALUE_EXCERPT_BYTES),
    await lineAt(source.dataPath, hit.offset, signal),
    closestValue(value, allowed[hit.tag]!),
  );
}

const STOP = Symbol('stop');
