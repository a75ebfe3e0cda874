import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { BenchmarkFileError } from './errors.js';
import { forEachNgram, hashWords } from './ngram-hash.js';
import { NgramTable } from './ngram-table.js';
import { normalisedWords, textFields } from './text-fields.js';

export interface BenchmarkItemFile {
  readonly benchmark: string;
  /** JSONL, one item per line; see text-fields.ts for which fields are compared. */
  readonly path: string;
}

export interface BenchmarkItem {
  readonly benchmark: string;
  /** The item's `id`, else its `item_id`, else `line:<n>` (1-based line in its file). */
  readonly itemId: string;
}

/**
 * Hashed n-grams of a set of benchmark items. Holds no n-gram text: only 64-bit fingerprints and
 * item numbers (see NgramTable), so memory is about 24 bytes per distinct (n-gram, item) pair.
 */
export interface ContaminationIndex {
  readonly n: number;
  readonly items: readonly BenchmarkItem[];
  /** Items with fewer than `n` normalised words in every text field: they cannot be matched. */
  readonly unindexedItems: readonly BenchmarkItem[];
  readonly table: NgramTable;
}

export interface ContaminationHit {
  readonly benchmark: string;
  readonly itemId: string;
  /** The first shared n-gram found in the record, normalised (words joined by single spaces). */
  readonly ngram: string;
}

/** Reads benchmark item files (line by line) and indexes every n-gram of their text fields. */
export async function buildContaminationIndex(itemFiles: readonly BenchmarkItemFile[], n = 13): Promise<ContaminationIndex> {
  if (!(Number.isSafeInteger(n) && n >= 1)) throw new RangeError(`n must be a positive integer, got ${n}`);
  const table = new NgramTable();
  const items: BenchmarkItem[] = [];
  const unindexedItems: BenchmarkItem[] = [];
  for (const file of itemFiles) {
    const lines = createInterface({ input: createReadStream(file.path, { encoding: 'utf8' }), crlfDelay: Infinity });
    let lineNo = 0;
    for await (const raw of lines) {
      lineNo += 1;
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err) {
        throw new BenchmarkFileError(file.benchmark, file.path, lineNo, `not JSON (${(err as Error).message})`);
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new BenchmarkFileError(file.benchmark, file.path, lineNo, 'not a JSON object');
      }
      const item: BenchmarkItem = { benchmark: file.benchmark, itemId: itemIdOf(value as Record<string, unknown>, lineNo) };
      const number = items.length;
      items.push(item);
      let indexed = false;
      for (const text of textFields(value)) {
        forEachNgram(hashWords(normalisedWords(text)), n, (hi, lo) => {
          table.add(hi, lo, number);
          indexed = true;
        });
      }
      if (!indexed) unindexedItems.push(item);
    }
  }
  return { n, items, unindexedItems, table };
}

/** The benchmark items that share at least one normalised n-gram with the record; one hit per item. */
export function checkRecord(index: ContaminationIndex, recordBytes: Buffer): ContaminationHit[] {
  let value: unknown;
  try {
    value = JSON.parse(recordBytes.toString('utf8'));
  } catch {
    return [];
  }
  const hits = new Map<number, ContaminationHit>();
  for (const text of textFields(value)) {
    const words = normalisedWords(text);
    forEachNgram(hashWords(words), index.n, (hi, lo, start) => {
      index.table.lookup(hi, lo, (number) => {
        if (hits.has(number)) return;
        const item = index.items[number];
        if (item === undefined) return;
        hits.set(number, { benchmark: item.benchmark, itemId: item.itemId, ngram: words.slice(start, start + index.n).join(' ') });
      });
    });
  }
  return [...hits.entries()].sort(([a], [b]) => a - b).map(([, hit]) => hit);
}

function itemIdOf(item: Record<string, unknown>, lineNo: number): string {
  for (const key of ['id', 'item_id']) {
    const v = item[key];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return `line:${lineNo}`;
}
