// Words and colours for the report's enums, shared by the charts, the legends and the tables.
import type { BenchmarkVerdict, EstimateMethod, IntervalCoverage } from '@ballast/schema';

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies, and in greyscale print. */
export const VERDICT_COLOUR: Record<BenchmarkVerdict, string> = {
  improved: '#0072b2',
  no_change: '#6b7280',
  regressed: '#d55e00',
  insufficient_data: '#a3a3a3',
};

export const VERDICT_LABEL: Record<BenchmarkVerdict, string> = {
  improved: 'improved',
  no_change: 'no change',
  regressed: 'regressed',
  insufficient_data: 'insufficient data',
};

/** One-character marks for verdicts in dense table cells; the table's legend spells them out. */
export const VERDICT_MARK: Record<BenchmarkVerdict, string> = {
  improved: '▲',
  no_change: '●',
  regressed: '▼',
  insufficient_data: '○',
};

export const METHOD_LABEL: Record<EstimateMethod, string> = {
  'item-t': 'item t',
  'item-cr2-t': 'item CR2 t',
  'seed-t': 'seed t',
  'hierarchical-bootstrap': 'hier. bootstrap',
};

export const NON_INFERIORITY_LABEL: Record<string, string> = {
  non_inferior: 'non-inferior',
  inferior: 'inferior',
  inconclusive: 'inconclusive',
  insufficient_data: 'insufficient data',
};

/** What an interval's width accounts for, in words a reader cannot misread. */
export const COVERAGE_TEXT: Record<IntervalCoverage, string> = {
  items: 'item sampling only — seed-to-seed variation is not in them',
  'seeds-and-items': 'both seed-to-seed variation and item sampling',
};

/** Short form for table cells. */
export const COVERAGE_SHORT: Record<IntervalCoverage, string> = {
  items: 'items only',
  'seeds-and-items': 'seeds + items',
};

/** snake_case enum values as words: reward_hacking → "reward hacking". */
export function words(value: string): string {
  return value.replace(/_/g, ' ');
}

const GROUP_LABEL: Record<string, string> = {
  health_mental_health: 'health & mental health',
  in_domain: 'in-domain',
  out_of_domain: 'out-of-domain',
};

/** A benchmark category or generalisation column as a heading: health_mental_health → "health & mental health". */
export function groupLabel(value: string): string {
  return GROUP_LABEL[value] ?? words(value);
}
