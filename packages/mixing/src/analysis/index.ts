/**
 * Analyses of a mix: coverage by trait × domain against what the components asked for, and
 * contamination against benchmark items by normalised n-gram overlap.
 *
 * @example
 * import { buildContaminationIndex, checkRecord, coverageFromCounts } from './analysis/index.js';
 * const coverage = coverageFromCounts(counts, [{ component: 'traits', traits: ['honesty'], domains: ['healthcare'] }]);
 * for (const w of coverage.warnings) console.warn(w);
 * const index = await buildContaminationIndex([{ benchmark: 'mmlu', path: '/bench/mmlu.jsonl' }]);
 * const hits = checkRecord(index, recordBytes); // [{ benchmark: 'mmlu', itemId: 'q17', ngram: '...' }]
 */
export { coverageFromCounts } from './coverage.js';
export type { CoverageReport, RequestedSlice, SliceCoverage, TraitDomainCount } from './coverage.js';
export { buildContaminationIndex, checkRecord } from './contamination.js';
export type { BenchmarkItem, BenchmarkItemFile, ContaminationHit, ContaminationIndex } from './contamination.js';
export { NgramTable } from './ngram-table.js';
export { normalisedWords, textFields, TEXT_KEYS } from './text-fields.js';
export { AnalysisErrorCode, BenchmarkFileError } from './errors.js';
