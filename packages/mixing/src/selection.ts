import type { ResolvedMix } from '@ballast/schema';
import { compileFilter } from './code-filter.js';
import { MixAbortedError, MixComponentShortError } from './errors.js';
import { HashSet64 } from './hash-set64.js';
import { SeededRandom } from './prng.js';
import { forEachIndexChunk, type SourceRegistration } from './sources/index.js';

const CHUNK_RECORDS = 1 << 16;

export interface SelectionSource {
  readonly dataset: string;
  readonly registration: SourceRegistration;
}

export interface EligibilityStats {
  /** Per component: records that passed its filter and no earlier component's. */
  readonly eligible: number[];
  readonly eligibleBytes: number[];
  /** Per component: records that passed its filter but went to an earlier component. */
  readonly lostToEarlier: number[];
  readonly contaminatedExcluded: number[];
  /** Per source: exact duplicates removed (first occurrence kept, sources in spec order). */
  readonly duplicatesBySource: number[];
  /** Per component, trait → domain → eligible records (for coverage previews). */
  readonly eligibleByTraitDomain: Record<string, Record<string, number>>[];
  /** Per source: bit i set when record i is out (duplicate or excluded). */
  readonly dropped: Uint8Array[];
}

/** One component's chosen records as parallel arrays (26 bytes a pick), in final order. */
export class Picks {
  readonly source: Uint8Array;
  readonly offset: Float64Array;
  readonly length: Uint32Array;
  readonly kind: Uint16Array;
  readonly trait: Uint16Array;
  readonly domain: Uint16Array;
  size = 0;
  constructor(readonly capacity: number) {
    this.source = new Uint8Array(capacity);
    this.offset = new Float64Array(capacity);
    this.length = new Uint32Array(capacity);
    this.kind = new Uint16Array(capacity);
    this.trait = new Uint16Array(capacity);
    this.domain = new Uint16Array(capacity);
  }
  push(source: number, offset: number, length: number, kind: number, trait: number, domain: number): void {
    const i = this.size++;
    this.source[i] = source;
    this.offset[i] = offset;
    this.length[i] = length;
    this.kind[i] = kind;
    this.trait[i] = trait;
    this.domain[i] = domain;
  }
  copy(from: number): void {
    this.push(this.source[from]!, this.offset[from]!, this.length[from]!, this.kind[from]!, this.trait[from]!, this.domain[from]!);
  }
  swap(i: number, j: number): void {
    for (const a of [this.source, this.offset, this.length, this.kind, this.trait, this.domain]) {
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
  }
}

export interface Selection extends EligibilityStats {
  /** Per component, the chosen records in their final (seeded shuffle) order. */
  readonly picks: Picks[];
  readonly upsampled: number[];
  readonly warnings: string[];
}

interface ScanOptions {
  readonly mix: ResolvedMix;
  readonly sources: readonly SelectionSource[];
  /** Decontamination: true when the record must be excluded (called only for eligible records). */
  readonly exclude?: ((source: number, record: number) => boolean) | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((recordsScanned: number) => void) | undefined;
}

function componentsBySource(mix: ResolvedMix, sources: readonly SelectionSource[]) {
  return sources.map((source) =>
    mix.components.flatMap((c, index) =>
      c.dataset === source.dataset ? [{ index, matches: compileFilter(c.filter, source.registration.dictionaries) }] : [],
    ),
  );
}

/**
 * Pass 1 over the sources' indexes (streamed in chunks, constant memory apart from the dedup table):
 * drops exact duplicates, assigns each record to the first component whose filter it matches, and
 * counts what each component can draw from.
 */
export async function scanEligibility(options: ScanOptions): Promise<EligibilityStats> {
  const { mix, sources } = options;
  const k = mix.components.length;
  const stats = {
    eligible: new Array<number>(k).fill(0),
    eligibleBytes: new Array<number>(k).fill(0),
    lostToEarlier: new Array<number>(k).fill(0),
    contaminatedExcluded: new Array<number>(k).fill(0),
    duplicatesBySource: new Array<number>(sources.length).fill(0),
    eligibleByTraitDomain: mix.components.map(() => ({}) as Record<string, Record<string, number>>),
    dropped: sources.map((s) => new Uint8Array(Math.ceil(s.registration.records / 8))),
  };
  const takers = componentsBySource(mix, sources);
  const seen = mix.dedup ? new HashSet64(sources.reduce((n, s) => n + s.registration.records, 0)) : null;
  let scanned = 0;
  for (const [s, source] of sources.entries()) {
    const dict = source.registration.dictionaries;
    const dropped = stats.dropped[s]!;
    // Per component and trait code × domain code, counted in typed arrays and named at the end.
    const cells = mix.components.map(() => new Float64Array(Math.max(dict.trait.length, 1) * Math.max(dict.domain.length, 1)));
    await forEachIndexChunk(source.registration, CHUNK_RECORDS, (chunk, first) => {
      if (options.signal?.aborted) throw new MixAbortedError(options.signal.reason);
      for (let j = 0; j < chunk.records; j++) {
        const i = first + j;
        if (seen && !seen.add(chunk.hashHi(j), chunk.hashLo(j))) {
          stats.duplicatesBySource[s]! += 1;
          dropped[i >>> 3]! |= 1 << (i & 7);
          continue;
        }
        const kind = chunk.kind(j);
        const trait = chunk.trait(j);
        const domain = chunk.domain(j);
        let owner = -1;
        for (const taker of takers[s]!) {
          if (!taker.matches(kind, trait, domain)) continue;
          if (owner === -1) owner = taker.index;
          else stats.lostToEarlier[taker.index]! += 1;
        }
        if (owner === -1) continue;
        if (options.exclude?.(s, i)) {
          stats.contaminatedExcluded[owner]! += 1;
          dropped[i >>> 3]! |= 1 << (i & 7);
          continue;
        }
        stats.eligible[owner]! += 1;
        stats.eligibleBytes[owner]! += chunk.length(j);
        cells[owner]![trait * dict.domain.length + domain]! += 1;
      }
      scanned += chunk.records;
      options.onProgress?.(scanned);
    });
    cells.forEach((cell, c) => {
      const byTrait = stats.eligibleByTraitDomain[c]!;
      cell.forEach((n, at) => {
        if (n === 0) return;
        const trait = dict.trait[Math.floor(at / dict.domain.length)] ?? 'none';
        const domain = dict.domain[at % dict.domain.length]!;
        const row = (byTrait[trait ?? 'none'] ??= {});
        row[domain] = (row[domain] ?? 0) + n;
      });
    });
  }
  return stats;
}

/** Checks every component can deliver its count (upsampling where allowed); returns warnings. */
export function checkSupply(mix: ResolvedMix, requested: readonly number[], eligible: readonly number[]): string[] {
  const warnings: string[] = [];
  mix.components.forEach((c, i) => {
    const want = requested[i]!;
    const have = eligible[i]!;
    if (have >= want) return;
    const cap = c.upsample ? Math.floor(c.upsample.maxFactor * have) : have;
    if (have === 0 || want > cap) throw new MixComponentShortError(c.name, c.dataset, want, have);
    warnings.push(
      `component '${c.name}' has ${have} eligible records for ${want} requested: upsampled with replacement (${want - have} repeats, factor ${(want / have).toFixed(2)} of at most ${c.upsample!.maxFactor})`,
    );
  });
  return warnings;
}

/**
 * Pass 2: picks exactly the requested number of records per component with selection sampling
 * (Knuth's algorithm S, seeded per component), upsamples where allowed, then shuffles each
 * component's picks with a seeded Fisher–Yates. A pure function of the spec and the source bytes.
 */
export async function selectRecords(options: ScanOptions & { requested: readonly number[]; stats: EligibilityStats }): Promise<Selection> {
  const { mix, sources, requested, stats } = options;
  const warnings = checkSupply(mix, requested, stats.eligible);
  const takers = componentsBySource(mix, sources);
  const take = mix.components.map((_, c) => Math.min(requested[c]!, stats.eligible[c]!));
  const picks = mix.components.map((_, c) => new Picks(requested[c]!));
  const remaining = [...stats.eligible];
  const rngs = mix.components.map((c) => SeededRandom.fromParts('select', mix.seed, c.name));
  let scanned = 0;
  for (const [s, source] of sources.entries()) {
    const dropped = stats.dropped[s]!;
    await forEachIndexChunk(source.registration, CHUNK_RECORDS, (chunk, first) => {
      if (options.signal?.aborted) throw new MixAbortedError(options.signal.reason);
      for (let j = 0; j < chunk.records; j++) {
        const i = first + j;
        if ((dropped[i >>> 3]! & (1 << (i & 7))) !== 0) continue;
        const kind = chunk.kind(j);
        const trait = chunk.trait(j);
        const domain = chunk.domain(j);
        let owner = -1;
        for (const taker of takers[s]!) {
          if (taker.matches(kind, trait, domain)) {
            owner = taker.index;
            break;
          }
        }
        if (owner === -1) continue;
        const list = picks[owner]!;
        const need = take[owner]! - list.size;
        if (need > 0 && rngs[owner]!.below(remaining[owner]!) < need) {
          list.push(s, chunk.offset(j), chunk.length(j), kind, trait, domain);
        }
        remaining[owner]! -= 1;
      }
      scanned += chunk.records;
      options.onProgress?.(scanned);
    });
  }
  const upsampled = mix.components.map((c, ci) => {
    const list = picks[ci]!;
    const base = list.size;
    const extra = requested[ci]! - base;
    const rng = SeededRandom.fromParts('upsample', mix.seed, c.name);
    for (let e = 0; e < extra; e++) list.copy(rng.below(base));
    return extra;
  });
  mix.components.forEach((c, ci) => {
    const list = picks[ci]!;
    const rng = SeededRandom.fromParts('shuffle', mix.seed, c.name);
    for (let i = list.size - 1; i > 0; i--) list.swap(i, rng.below(i + 1));
  });
  return { ...stats, picks, upsampled, warnings };
}
