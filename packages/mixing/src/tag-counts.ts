import type { MixTags } from './record.js';

/** Key used in countsByTag.trait for records whose trait is null (regular prompts). */
export const NO_TRAIT = 'none';

/**
 * Interns the (kind, trait, domain) tuples seen in a scan, so each eligible record carries one small
 * integer instead of its tags, and output counts need no second parse.
 */
export class TagTable {
  private readonly ids = new Map<string, number>();
  private readonly tuples: MixTags[] = [];

  get size(): number {
    return this.tuples.length;
  }

  intern(tags: MixTags): number {
    const key = `${tags.kind}\u0000${tags.trait ?? '\u0001'}\u0000${tags.domain}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.tuples.length;
      this.ids.set(key, id);
      this.tuples.push({ kind: tags.kind, trait: tags.trait, domain: tags.domain });
    }
    return id;
  }

  /** Per-tag counts from per-tuple counts, with keys sorted so the manifest is byte-stable. */
  countsByTag(countPerId: ArrayLike<number>): Record<'kind' | 'trait' | 'domain', Record<string, number>> {
    const out = { kind: {} as Record<string, number>, trait: {} as Record<string, number>, domain: {} as Record<string, number> };
    this.tuples.forEach((t, id) => {
      const n = countPerId[id] ?? 0;
      if (n === 0) return;
      out.kind[t.kind] = (out.kind[t.kind] ?? 0) + n;
      const trait = t.trait ?? NO_TRAIT;
      out.trait[trait] = (out.trait[trait] ?? 0) + n;
      out.domain[t.domain] = (out.domain[t.domain] ?? 0) + n;
    });
    return { kind: sortedKeys(out.kind), trait: sortedKeys(out.trait), domain: sortedKeys(out.domain) };
  }
}

function sortedKeys(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
