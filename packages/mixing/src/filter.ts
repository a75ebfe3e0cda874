import type { ComponentFilter } from '@ballast/schema';
import type { MixTags } from './record.js';

type ValueFilter = { in?: readonly string[] | undefined; notIn?: readonly string[] | undefined };

// A null trait (regular prompts) never satisfies `in`, and always satisfies `notIn`: "trait not in
// [honesty]" should keep regular prompts, "trait in [honesty]" should not.
function matchesValue(filter: ValueFilter | undefined, value: string | null): boolean {
  if (filter === undefined) return true;
  if (filter.in !== undefined && (value === null || !filter.in.includes(value))) return false;
  if (filter.notIn !== undefined && value !== null && filter.notIn.includes(value)) return false;
  return true;
}

/** True when a record's tags pass every part (trait, domain, kind) of a component's filter. */
export function matchesFilter(filter: ComponentFilter, tags: MixTags): boolean {
  return (
    matchesValue(filter.kind, tags.kind) && matchesValue(filter.trait, tags.trait) && matchesValue(filter.domain, tags.domain)
  );
}
