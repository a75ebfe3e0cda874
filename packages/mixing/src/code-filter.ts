import type { ComponentFilter } from '@ballast/schema';

type ValueFilter = { in?: readonly string[] | undefined; notIn?: readonly string[] | undefined } | undefined;

/** Per tag code, whether the value passes; a null trait never passes `in` and always passes `notIn`. */
function table(filter: ValueFilter, values: readonly (string | null)[]): Uint8Array {
  const out = new Uint8Array(Math.max(values.length, 1));
  values.forEach((value, code) => {
    let ok = true;
    if (filter?.in !== undefined && (value === null || !filter.in.includes(value))) ok = false;
    if (filter?.notIn !== undefined && value !== null && filter.notIn.includes(value)) ok = false;
    out[code] = ok ? 1 : 0;
  });
  return out;
}

export interface TagDictionaries {
  /** A null kind: the record has none (the engine refuses a kind filter on such a source). */
  readonly kind: readonly (string | null)[];
  readonly trait: readonly (string | null)[];
  readonly domain: readonly string[];
}

/** Per tag code of each tag, 1 when the value passes the filter: a record passes when all three do. */
export function filterTables(filter: ComponentFilter, dict: TagDictionaries): { kind: Uint8Array; trait: Uint8Array; domain: Uint8Array } {
  return { kind: table(filter.kind, dict.kind), trait: table(filter.trait, dict.trait), domain: table(filter.domain, dict.domain) };
}

/** A filter compiled against one source's tag dictionaries: three table look-ups a record. */
export function compileFilter(filter: ComponentFilter, dict: TagDictionaries): (kind: number, trait: number, domain: number) => boolean {
  const { kind: kinds, trait: traits, domain: domains } = filterTables(filter, dict);
  return (kind, trait, domain) => kinds[kind] === 1 && traits[trait] === 1 && domains[domain] === 1;
}
