// The table under each forest plot: every number stored for each benchmark.
import type { BenchmarkComparison, BenchmarkVerdict, ComparisonReport, NonInferiorityResult } from '@ballast/schema';
import { groupByCategory } from './categories.js';
import { html, type SafeHtml } from './escape.js';
import { confidenceLabel, count, fixed, interval, MISSING, pValue, signed } from './format.js';
import { COVERAGE_SHORT, groupLabel, METHOD_LABEL, NON_INFERIORITY_LABEL, VERDICT_LABEL, VERDICT_MARK, words } from './vocabulary.js';

function verdicts(b: BenchmarkComparison): SafeHtml {
  const mark = (label: string, v: BenchmarkVerdict) => html`${label} <span class="mark ${v}" title="${label}: ${VERDICT_LABEL[v]}">${VERDICT_MARK[v]}</span>`;
  return html`<td class="verdicts"><span class="verdict ${b.holmVerdict}">${VERDICT_LABEL[b.holmVerdict]}</span><br><span class="small">${mark('unadj.', b.verdict)} · ${mark('BH', b.bhVerdict)}</span></td>`;
}

function nonInferiorityCell(ni: NonInferiorityResult | null): SafeHtml {
  if (!ni) return html`<td class="muted">${MISSING}</td>`;
  const level = confidenceLabel(1 - 2 * ni.alpha);
  return html`<td class="ni ${ni.verdict}"><span class="ni-verdict">${NON_INFERIORITY_LABEL[ni.verdict] ?? words(ni.verdict)}</span><br><span class="small">margin ${fixed(ni.margin)}<br>${level} ${interval(ni.lower, ni.upper)}</span></td>`;
}

function row(b: BenchmarkComparison): SafeHtml {
  const arrow = b.direction === 'higher_is_better' ? '↑' : '↓';
  const direction = b.direction === 'higher_is_better' ? 'higher is better' : 'lower is better (Δ is negated so that positive is better)';
  const detail =
    b.verdict === 'insufficient_data' || b.insufficientReason
      ? html`<div class="small insufficient-detail">${b.insufficientReason ? words(b.insufficientReason) : 'insufficient data'}${b.insufficientDetail ? html`: ${b.insufficientDetail}` : null}</div>`
      : null;
  return html`<tr data-benchmark="${b.benchmark}"${b.inHeadlineFamily ? null : html` class="outside-family"`}>
<th scope="row" class="benchmark">${b.benchmark}<div class="small">${b.metric} <span title="${direction}">${arrow}</span> · ${words(b.domainRelation)}</div>${detail}</th>
<td class="num">${fixed(b.treatmentMean)}<br><span class="small">${fixed(b.controlMean)}</span></td>
<td class="num strong">${signed(b.delta)}</td>
<td class="num">${interval(b.ciLow, b.ciHigh)}</td>
<td class="num">${fixed(b.se)}</td>
<td class="num">${fixed(b.df, 1)}</td>
<td class="num">${pValue(b.pValue)}</td>
<td class="num">${pValue(b.pHolm)}</td>
<td class="num">${pValue(b.pBH)}</td>
<td class="num">${signed(b.standardisedEffect, 2)}</td>
<td class="num">${count(b.items)}</td>
<td class="num">${count(b.clusters)}</td>
<td class="num">${count(b.samplesPerItem)}</td>
<td class="num">${count(b.seeds)}</td>
<td class="covers">${COVERAGE_SHORT[b.covers]}<br><span class="small">${b.method ? METHOD_LABEL[b.method] : MISSING}</span></td>
${verdicts(b)}${nonInferiorityCell(b.nonInferiority)}
</tr>`;
}

/** Every stored number per benchmark, grouped by category like the forest plot. */
export function benchmarkTable(comparison: ComparisonReport, confidence: number): SafeHtml {
  const level = confidenceLabel(confidence);
  const columns = 17;
  const bodies = groupByCategory(comparison.benchmarks).map(
    ([category, items]) => html`<tbody><tr class="category-row"><th colspan="${String(columns)}" scope="rowgroup">${groupLabel(category)}</th></tr>${items.map(row)}</tbody>`,
  );
  const marks = (['improved', 'no_change', 'regressed', 'insufficient_data'] as const).map(
    (v) => html`<span><span class="mark ${v}">${VERDICT_MARK[v]}</span> ${VERDICT_LABEL[v]}</span>`,
  );
  return html`<div class="legend-html">${marks}<span>Treat. above, control below: mean score per arm over its seeds.</span><span>p Holm, p BH: adjusted within the headline family (— outside it); italic: outside the family.</span></div>
<div class="table-scroll"><table class="benchmarks">
<thead><tr>
<th scope="col">Benchmark <span class="small">metric · domain</span></th>
<th scope="col" class="num" title="mean score per arm over its seeds: treatment above, control below">Treat.<br><span class="small">control</span></th>
<th scope="col" class="num" title="mean paired difference, positive = better">Δ</th>
<th scope="col" class="num">${level} CI</th>
<th scope="col" class="num">SE</th><th scope="col" class="num">df</th>
<th scope="col" class="num" title="two-sided, unadjusted">p</th>
<th scope="col" class="num" title="Holm-adjusted within the headline family">p Holm</th>
<th scope="col" class="num" title="Benjamini–Hochberg-adjusted within the headline family">p BH</th>
<th scope="col" class="num" title="paired standardised effect d_z">d<sub>z</sub></th>
<th scope="col" class="num" title="paired items compared (smallest over seed pairs)">Items</th>
<th scope="col" class="num" title="conversation clusters">Clust.</th>
<th scope="col" class="num" title="responses sampled per item">S/item</th>
<th scope="col" class="num" title="seed pairs compared">Seeds</th>
<th scope="col" title="what the interval's width accounts for, and how it was made">Covers</th>
<th scope="col">Holm verdict<br><span class="small">unadj. · BH</span></th>
<th scope="col" title="against the declared margin, one-sided; the interval is the two-sided (1 − 2α) one">Non-inferiority</th>
</tr></thead>
${bodies}
</table></div>`;
}
