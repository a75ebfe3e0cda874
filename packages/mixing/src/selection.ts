import type { ResolvedMix } from '@ballast/schema';
import { filterTables } from './code-filter.js';
import { MixAbortedError, MixComponentShortError } from './errors.js';
import { readTally, tallyPath, writeTally, type SourceTally } from './dedup-tally.js';
import { HashSet64 } from './hash-set64.js';
import { SeededRandom } from './prng.js';
import { forEachIndexRows, ROW_BYTES, type SourceRegistration } from './sources/index.js';

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
    const source = this.source[i]!;
    this.source[i] = this.source[j]!;
    this.source[j] = source;
    const offset = this.offset[i]!;
    this.offset[i] = this.offset[j]!;
    this.offset[j] = offset;
    const length = this.length[i]!;
    this.length[i] = this.length[j]!;
    this.length[j] = length;
    const kind = this.kind[i]!;
    this.kind[i] = this.kind[j]!;
    this.kind[j] = kind;
    const trait = this.trait[i]!;
    this.trait[i] = this.trait[j]!;
    this.trait[j] = trait;
    const domain = this.domain[i]!;
    this.domain[i] = this.domain[j]!;
    this.domain[j] = domain;
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

/** Tag-code cells (kind × trait × domain) up to which a source gets a table of owners by cell. */
const MAX_CELLS = 1 << 16;

/**
 * The components one source feeds, compiled to bitmasks per tag code: bit b of word w stands for the
 * source's taker 32·w + b (takers in spec order), so a record's matching takers are three look-ups and
 * an AND a word, and the first component whose filter it matches is the lowest set bit. When the
 * source has few enough tag combinations, `cellOwner` holds that first component for every one.
 */
class SourceTakers {
  /** Taker number → component index. */
  readonly components: number[];
  readonly words: number;
  readonly kind: Int32Array;
  readonly trait: Int32Array;
  readonly domain: Int32Array;
  readonly traits: number;
  readonly domains: number;
  readonly cells: number;
  /** Per cell (see cellOf), the owning component or -1; null when there are more than MAX_CELLS cells. */
  readonly cellOwner: Int32Array | null;

  constructor(mix: ResolvedMix, source: SelectionSource) {
    const dict = source.registration.dictionaries;
    this.components = mix.components.flatMap((c, index) => (c.dataset === source.dataset ? [index] : []));
    const words = Math.max(1, Math.ceil(this.components.length / 32));
    this.words = words;
    const kinds = Math.max(dict.kind.length, 1);
    this.traits = Math.max(dict.trait.length, 1);
    this.domains = Math.max(dict.domain.length, 1);
    this.kind = new Int32Array(kinds * words);
    this.trait = new Int32Array(this.traits * words);
    this.domain = new Int32Array(this.domains * words);
    this.components.forEach((component, taker) => {
      const tables = filterTables(mix.components[component]!.filter, dict);
      const word = taker >>> 5;
      const bit = 1 << (taker & 31);
      const mark = (masks: Int32Array, table: Uint8Array): void => {
        for (let code = 0; code < table.length; code++) if (table[code] === 1) masks[code * words + word]! |= bit;
      };
      mark(this.kind, tables.kind);
      mark(this.trait, tables.trait);
      mark(this.domain, tables.domain);
    });
    this.cells = kinds * this.traits * this.domains;
    this.cellOwner = null;
    if (this.cells <= MAX_CELLS) {
      const owners = new Int32Array(this.cells);
      for (let cell = 0; cell < this.cells; cell++) {
        const [kind, trait, domain] = this.codesOf(cell);
        owners[cell] = this.owner(kind, trait, domain);
      }
      this.cellOwner = owners;
    }
  }

  cellOf(kind: number, trait: number, domain: number): number {
    return (kind * this.traits + trait) * this.domains + domain;
  }

  codesOf(cell: number): [kind: number, trait: number, domain: number] {
    const domain = cell % this.domains;
    const rest = (cell - domain) / this.domains;
    const trait = rest % this.traits;
    return [(rest - trait) / this.traits, trait, domain];
  }

  /** The component of the first taker whose filter passes these tag codes, or -1. */
  owner(kind: number, trait: number, domain: number): number {
    const words = this.words;
    for (let w = 0; w < words; w++) {
      const m = this.kind[kind * words + w]! & this.trait[trait * words + w]! & this.domain[domain * words + w]!;
      if (m !== 0) return this.components[(w << 5) + 31 - Math.clz32(m & -m)]!;
    }
    return -1;
  }

  /** Like owner, and adds `n` to `lost` for every later taker that matches too. */
  ownerCountingLost(kind: number, trait: number, domain: number, lost: Float64Array, n = 1): number {
    const words = this.words;
    let owner = -1;
    for (let w = 0; w < words; w++) {
      let m = this.kind[kind * words + w]! & this.trait[trait * words + w]! & this.domain[domain * words + w]!;
      while (m !== 0) {
        const low = m & -m;
        const component = this.components[(w << 5) + 31 - Math.clz32(low)]!;
        if (owner === -1) owner = component;
        else lost[component]! += n;
        m ^= low;
      }
    }
    return owner;
  }
}

/**
 * Pass 1 over the sources' indexes (streamed in chunks, constant memory apart from the dedup table):
 * drops exact duplicates, assigns each record to the first component whose filter it matches, and
 * counts what each component can draw from.
 */
export async function scanEligibility(options: ScanOptions): Promise<EligibilityStats> {
  const { mix, sources, exclude, signal } = options;
  const k = mix.components.length;
  const eligible = new Float64Array(k);
  const eligibleBytes = new Float64Array(k);
  const lostToEarlier = new Float64Array(k);
  const contaminatedExcluded = new Float64Array(k);
  const duplicatesBySource = new Array<number>(sources.length).fill(0);
  const eligibleByTraitDomain = mix.components.map(() => ({}) as Record<string, Record<string, number>>);
  const dropped = sources.map((s) => new Uint8Array(Math.ceil(s.registration.records / 8)));
  const takersBySource = sources.map((source) => new SourceTakers(mix, source));
  // Deduplication does not depend on weights or filters: its tallies from an earlier mix over the same
  // sources are kept beside them (see dedup-tally.ts). All or none are used, since a source's
  // duplicates are found with the hashes of every source before it.
  const tallyPaths = mix.dedup && exclude === undefined ? sources.map((_, s) => tallyPath(sources.slice(0, s + 1).map((x) => x.registration))) : null;
  let tallies: (SourceTally | null)[] = sources.map(() => null);
  if (tallyPaths !== null && takersBySource.every((t) => t.cellOwner !== null)) {
    const found = await Promise.all(tallyPaths.map((path, s) => readTally(path, sources[s]!.registration.records, takersBySource[s]!.cells)));
    if (found.every((t) => t !== null)) tallies = found;
  }
  const seen = mix.dedup && tallies.some((t) => t === null) ? new HashSet64(sources.reduce((n, s) => n + s.registration.records, 0)) : null;
  let scanned = 0;
  for (const [s, source] of sources.entries()) {
    const dict = source.registration.dictionaries;
    const takers = takersBySource[s]!;
    const out = dropped[s]!;
    const domains = dict.domain.length;
    // Per component and trait code × domain code, counted in typed arrays and named at the end.
    const cells = mix.components.map(() => new Float64Array(Math.max(dict.trait.length, 1) * Math.max(domains, 1)));
    let duplicates = 0;
    const cellOwner = takers.cellOwner;
    if (cellOwner !== null && exclude === undefined) {
      // The usual case: count records per tag cell, then give each cell's count to its owner at once.
      let tally = tallies[s];
      if (tally === null || tally === undefined) {
        const perCell = new Float64Array(takers.cells);
        const bytesPerCell = new Float64Array(takers.cells);
        const { traits, domains: cellDomains } = takers;
        await forEachIndexRows(source.registration, CHUNK_RECORDS, (rows, records, first) => {
          if (signal?.aborted) throw new MixAbortedError(signal.reason);
          const view = new DataView(rows.buffer, rows.byteOffset, rows.length);
          for (let j = 0, at = 0; j < records; j++, at += ROW_BYTES) {
            if (seen !== null && !seen.add(view.getUint32(at + 12, true), view.getUint32(at + 16, true))) {
              const i = first + j;
              duplicates += 1;
              out[i >>> 3]! |= 1 << (i & 7);
              continue;
            }
            const cell = (view.getUint16(at + 20, true) * traits + view.getUint16(at + 22, true)) * cellDomains + view.getUint16(at + 24, true);
            perCell[cell]! += 1;
            bytesPerCell[cell]! += view.getUint32(at + 8, true);
          }
          scanned += records;
          options.onProgress?.(scanned);
        });
        tally = { duplicate: out, duplicates, perCell, bytesPerCell };
        if (tallyPaths !== null) await writeTally(tallyPaths[s]!, source.registration.records, tally);
      } else {
        if (signal?.aborted) throw new MixAbortedError(signal.reason);
        out.set(tally.duplicate);
        duplicates = tally.duplicates;
        scanned += source.registration.records;
        options.onProgress?.(scanned);
      }
      for (let cell = 0; cell < takers.cells; cell++) {
        const n = tally.perCell[cell]!;
        if (n === 0) continue;
        const [kind, trait, domain] = takers.codesOf(cell);
        const owner = takers.ownerCountingLost(kind, trait, domain, lostToEarlier, n);
        if (owner === -1) continue;
        eligible[owner]! += n;
        eligibleBytes[owner]! += tally.bytesPerCell[cell]!;
        cells[owner]![trait * domains + domain]! += n;
      }
    } else {
      await forEachIndexRows(source.registration, CHUNK_RECORDS, (rows, records, first) => {
        if (signal?.aborted) throw new MixAbortedError(signal.reason);
        const view = new DataView(rows.buffer, rows.byteOffset, rows.length);
        for (let j = 0, at = 0; j < records; j++, at += ROW_BYTES) {
          const i = first + j;
          if (seen !== null && !seen.add(view.getUint32(at + 12, true), view.getUint32(at + 16, true))) {
            duplicates += 1;
            out[i >>> 3]! |= 1 << (i & 7);
            continue;
          }
          const trait = view.getUint16(at + 22, true);
          const domain = view.getUint16(at + 24, true);
          const owner = takers.ownerCountingLost(view.getUint16(at + 20, true), trait, domain, lostToEarlier);
          if (owner === -1) continue;
          if (exclude?.(s, i)) {
            contaminatedExcluded[owner]! += 1;
            out[i >>> 3]! |= 1 << (i & 7);
            continue;
          }
          eligible[owner]! += 1;
          eligibleBytes[owner]! += view.getUint32(at + 8, true);
          cells[owner]![trait * domains + domain]! += 1;
        }
        scanned += records;
        options.onProgress?.(scanned);
      });
    }
    duplicatesBySource[s] = duplicates;
    cells.forEach((cell, c) => {
      const byTrait = eligibleByTraitDomain[c]!;
      cell.forEach((n, at) => {
        if (n === 0) return;
        const trait = dict.trait[Math.floor(at / domains)] ?? 'none';
        const domain = dict.domain[at % domains]!;
        const row = (byTrait[trait ?? 'none'] ??= {});
        row[domain] = (row[domain] ?? 0) + n;
      });
    });
  }
  return {
    eligible: [...eligible],
    eligibleBytes: [...eligibleBytes],
    lostToEarlier: [...lostToEarlier],
    contaminatedExcluded: [...contaminatedExcluded],
    duplicatesBySource,
    eligibleByTraitDomain,
    dropped,
  };
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
  const { mix, sources, requested, stats, signal } = options;
  const warnings = checkSupply(mix, requested, stats.eligible);
  const take = mix.components.map((_, c) => Math.min(requested[c]!, stats.eligible[c]!));
  const picks = mix.components.map((_, c) => new Picks(requested[c]!));
  const remaining = [...stats.eligible];
  const rngs = mix.components.map((c) => SeededRandom.fromParts('select', mix.seed, c.name));
  let scanned = 0;
  for (const [s, source] of sources.entries()) {
    const takers = new SourceTakers(mix, source);
    const { cellOwner, traits, domains } = takers;
    const dropped = stats.dropped[s]!;
    await forEachIndexRows(source.registration, CHUNK_RECORDS, (rows, records, first) => {
      if (signal?.aborted) throw new MixAbortedError(signal.reason);
      const view = new DataView(rows.buffer, rows.byteOffset, rows.length);
      for (let j = 0, at = 0; j < records; j++, at += ROW_BYTES) {
        const i = first + j;
        if ((dropped[i >>> 3]! & (1 << (i & 7))) !== 0) continue;
        const kind = view.getUint16(at + 20, true);
        const trait = view.getUint16(at + 22, true);
        const domain = view.getUint16(at + 24, true);
        const owner = cellOwner === null ? takers.owner(kind, trait, domain) : cellOwner[(kind * traits + trait) * domains + domain]!;
        if (owner === -1) continue;
        const list = picks[owner]!;
        const need = take[owner]! - list.size;
        if (need > 0 && rngs[owner]!.below(remaining[owner]!) < need) {
          const offset = view.getUint32(at, true) + view.getUint32(at + 4, true) * 0x100000000;
          list.push(s, offset, view.getUint32(at + 8, true), kind, trait, domain);
        }
        remaining[owner]! -= 1;
      }
      scanned += records;
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
