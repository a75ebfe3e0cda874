import { BENCHMARK_CATEGORIES, type ComparisonReport, type GeneralisationCell, type GeneralisationRow } from '@ballast/schema';
import { wilsonInterval } from '../statistics/wilson.js';
import { pooledEffects } from './family.js';

const RELATION_WORDS = { in_domain: 'in-domain', out_of_domain: 'out-of-domain', general: 'general' } as const;

/**
 * The generalisation matrix: one row per comparison (the treatment is the training condition), one
 * column per evaluation category and per domain relation (in-domain, out-of-domain, general; computed
 * from the treatment arm's actual trait data). Each cell counts improved and regressed benchmarks by
 * the headline's verdicts (Holm within the family, unadjusted outside it), with a Wilson interval of
 * the share improved and the random-effects pooled standardised effect.
 */
export function generalisationRow(cmp: ComparisonReport, trainedDomains: readonly string[], confidence: number): GeneralisationRow {
  const byCategory = BENCHMARK_CATEGORIES.filter((cat) => cmp.benchmarks.some((b) => b.category === cat)).map((category) =>
    cell(category, category.replaceAll('_', ' '), cmp.benchmarks.filter((b) => b.category === category), confidence),
  );
  const byRelation = (['in_domain', 'out_of_domain', 'general'] as const)
    .filter((rel) => cmp.benchmarks.some((b) => b.domainRelation === rel))
    .map((rel) => cell(rel, RELATION_WORDS[rel], cmp.benchmarks.filter((b) => b.domainRelation === rel), confidence));
  return { treatment: cmp.treatment, control: cmp.control, trainedDomains: [...trainedDomains], cells: [...byRelation, ...byCategory] };
}

function cell(column: string, words: string, rows: ComparisonReport['benchmarks'], confidence: number): GeneralisationCell {
  const improved = rows.filter((b) => b.holmVerdict === 'improved').length;
  const regressed = rows.filter((b) => b.holmVerdict === 'regressed').length;
  const share = wilsonInterval(improved, rows.length, confidence);
  const pooled = pooledEffects(rows, confidence);
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const adjusted = rows.every((b) => b.inHeadlineFamily) ? 'Holm-adjusted' : rows.some((b) => b.inHeadlineFamily) ? 'Holm-adjusted in the headline family, unadjusted outside it' : 'unadjusted';
  return {
    column,
    improved,
    regressed,
    total: rows.length,
    shareLow: share.low,
    shareHigh: share.high,
    pooled: pooled.kind === 'summary' ? { mean: pooled.mean, ciLow: pooled.ciLow, ciHigh: pooled.ciHigh } : null,
    text: `${improved} of ${rows.length} ${words} evaluations improved (${adjusted}; share ${pct(share.low)}–${pct(share.high)}), ${regressed} regressed`,
  };
}
