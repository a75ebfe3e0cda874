/** How a record without a trait (a regular prompt), or without a kind, is counted and shown in tables. */
export const NO_TRAIT = 'none';

interface Dictionaries {
  readonly kind: readonly (string | null)[];
  readonly trait: readonly (string | null)[];
  readonly domain: readonly string[];
}

export interface NamedTagCounts {
  readonly counts: { kind: Record<string, number>; trait: Record<string, number>; domain: Record<string, number> };
  /** trait → domain → records. */
  readonly byTraitDomain: Record<string, Record<string, number>>;
}

/**
 * Counts output records by tag while they are written: per source, by kind code and by trait code ×
 * domain code in typed arrays, named only at the end. The named objects list their keys in order of
 * first appearance in the output, as counting them by name record by record would.
 */
export class TagTally {
  private readonly kinds: Float64Array[];
  private readonly cells: Float64Array[];
  private readonly domains: number[];
  /** (source, code) pairs in order of first appearance, as source × 2^16 + code (or + cell for cells). */
  private readonly kindOrder: number[] = [];
  private readonly cellOrder: number[] = [];

  constructor(private readonly dictionaries: readonly Dictionaries[]) {
    this.kinds = dictionaries.map((d) => new Float64Array(Math.max(d.kind.length, 1)));
    this.domains = dictionaries.map((d) => Math.max(d.domain.length, 1));
    this.cells = dictionaries.map((d, s) => new Float64Array(Math.max(d.trait.length, 1) * this.domains[s]!));
  }

  add(source: number, kind: number, trait: number, domain: number): void {
    const kinds = this.kinds[source]!;
    if (kinds[kind]!++ === 0) this.kindOrder.push(source * 0x10000 + kind);
    const cell = trait * this.domains[source]! + domain;
    if (this.cells[source]![cell]!++ === 0) this.cellOrder.push(source * 0x100000000 + cell);
  }

  named(): NamedTagCounts {
    const counts = { kind: {} as Record<string, number>, trait: {} as Record<string, number>, domain: {} as Record<string, number> };
    const byTraitDomain: Record<string, Record<string, number>> = {};
    for (const key of this.kindOrder) {
      const source = Math.floor(key / 0x10000);
      const code = key % 0x10000;
      const name = this.dictionaries[source]!.kind[code] ?? NO_TRAIT;
      counts.kind[name] = (counts.kind[name] ?? 0) + this.kinds[source]![code]!;
    }
    for (const key of this.cellOrder) {
      const source = Math.floor(key / 0x100000000);
      const cell = key % 0x100000000;
      const dict = this.dictionaries[source]!;
      const n = this.cells[source]![cell]!;
      const trait = dict.trait[Math.floor(cell / this.domains[source]!)] ?? NO_TRAIT;
      const domain = dict.domain[cell % this.domains[source]!]!;
      counts.trait[trait] = (counts.trait[trait] ?? 0) + n;
      counts.domain[domain] = (counts.domain[domain] ?? 0) + n;
      const row = (byTraitDomain[trait] ??= {});
      row[domain] = (row[domain] ?? 0) + n;
    }
    return { counts, byTraitDomain };
  }
}
