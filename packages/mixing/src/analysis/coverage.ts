import { NO_TRAIT } from '../tag-counts.js';

/** Selected records of one (trait, domain) pair; `trait` null for regular prompts. */
export interface TraitDomainCount {
  readonly trait: string | null;
  readonly domain: string;
  readonly count: number;
}

/** What a mix component asked for; an absent axis means "any". Use 'none' in `traits` for regular prompts. */
export interface RequestedSlice {
  readonly component: string;
  readonly traits?: readonly string[];
  readonly domains?: readonly string[];
}

export interface SliceCoverage {
  readonly component: string;
  /** Selected records in the slice: trait in `traits` (any if absent) and domain in `domains` (any if absent). */
  readonly records: number;
  /** Requested (trait, domain) cells with no selected record, `*` standing for an axis left open. */
  readonly emptyCells: readonly { trait: string; domain: string }[];
}

export interface CoverageReport {
  /** trait (or 'none') -> domain -> selected records; keys sorted, zero cells omitted. */
  readonly byTraitDomain: Record<string, Record<string, number>>;
  readonly totals: {
    readonly records: number;
    readonly byTrait: Record<string, number>;
    readonly byDomain: Record<string, number>;
  };
  readonly slices: readonly SliceCoverage[];
  readonly warnings: readonly string[];
}

const ANY = '*';

/**
 * Coverage of a mix by trait × domain, from the counts of its selected records. Each requested slice
 * is checked cell by cell (every listed trait against every listed domain), so a component asking
 * for {honesty, fairness} × {healthcare} warns about an empty honesty × healthcare cell even when
 * fairness × healthcare is full. Counts are over the whole mix: a cell filled by another component
 * counts as covered.
 */
export function coverageFromCounts(counts: Iterable<TraitDomainCount>, requestedSlices: readonly RequestedSlice[]): CoverageReport {
  const cells = new Map<string, Map<string, number>>();
  const byTrait = new Map<string, number>();
  const byDomain = new Map<string, number>();
  let records = 0;
  for (const c of counts) {
    if (!(Number.isSafeInteger(c.count) && c.count >= 0)) throw new RangeError(`count for (${c.trait}, ${c.domain}) must be a non-negative integer`);
    if (c.count === 0) continue;
    const trait = c.trait ?? NO_TRAIT;
    const row = cells.get(trait) ?? new Map<string, number>();
    cells.set(trait, row);
    row.set(c.domain, (row.get(c.domain) ?? 0) + c.count);
    byTrait.set(trait, (byTrait.get(trait) ?? 0) + c.count);
    byDomain.set(c.domain, (byDomain.get(c.domain) ?? 0) + c.count);
    records += c.count;
  }

  const count = (trait: string, domain: string): number => {
    let n = 0;
    for (const [t, row] of cells) {
      if (trait !== ANY && t !== trait) continue;
      for (const [d, k] of row) if (domain === ANY || d === domain) n += k;
    }
    return n;
  };

  const warnings: string[] = [];
  const slices = requestedSlices.map((s): SliceCoverage => {
    const traits = s.traits === undefined || s.traits.length === 0 ? [ANY] : [...new Set(s.traits)];
    const domains = s.domains === undefined || s.domains.length === 0 ? [ANY] : [...new Set(s.domains)];
    const emptyCells: { trait: string; domain: string }[] = [];
    let inSlice = 0;
    for (const trait of traits) {
      for (const domain of domains) {
        const n = count(trait, domain);
        inSlice += n;
        if (n === 0) emptyCells.push({ trait, domain });
      }
    }
    if (inSlice === 0) {
      warnings.push(`component '${s.component}': requested slice trait ${describe(s.traits)} × domain ${describe(s.domains)} has no selected records`);
    } else {
      for (const cell of emptyCells) {
        warnings.push(`component '${s.component}': no selected records for trait '${cell.trait}' × domain '${cell.domain}'`);
      }
    }
    return { component: s.component, records: inSlice, emptyCells };
  });

  return {
    byTraitDomain: Object.fromEntries(sortedEntries(cells).map(([t, row]) => [t, Object.fromEntries(sortedEntries(row))])),
    totals: { records, byTrait: Object.fromEntries(sortedEntries(byTrait)), byDomain: Object.fromEntries(sortedEntries(byDomain)) },
    slices,
    warnings,
  };
}

function describe(values: readonly string[] | undefined): string {
  return values === undefined || values.length === 0 ? 'any' : `in {${values.join(', ')}}`;
}

function sortedEntries<V>(m: Map<string, V>): [string, V][] {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
