// The dose–response section: the sweep, the family's headline, the pooled trend, a plot per benchmark and every number.
import type { DoseResponseReport, DoseResponseRow, RandomEffects } from '@ballast/schema';
import { fractionLabel } from '../format.js';
import { groupByCategory } from './categories.js';
import { doseResponseGrid } from './dose-response-svg.js';
import { html, type SafeHtml } from './escape.js';
import { count, fixed, interval, percent, pValue, signed } from './format.js';
import { COVERAGE_TEXT, groupLabel, METHOD_LABEL, VERDICT_LABEL, VERDICT_MARK, words } from './vocabulary.js';

const TREND_LABEL = { improved: 'rises', no_change: 'flat', regressed: 'falls', insufficient_data: 'insufficient data' } as const;

function headline(section: DoseResponseReport): SafeHtml {
  const h = section.headline;
  const pair = (c: { improved: number; regressed: number }) => html`<span class="improved">${String(c.improved)} rising</span>, <span class="regressed">${String(c.regressed)} falling</span>`;
  return html`<p class="headline"><strong><span class="improved">${String(h.holm.improved)} of ${String(h.family)} benchmarks rise with the trait fraction</span> (Holm), <span class="regressed">${String(h.holm.regressed)} fall</span></strong>; BH: ${pair(h.bh)}; unadjusted: ${pair(h.unadjusted)}.${
    h.holm.insufficient > 0 ? html` ${String(h.holm.insufficient)} had insufficient data.` : null
  }</p>`;
}

function pooled(re: RandomEffects, level: string): SafeHtml {
  if (re.kind === 'insufficient_data') return html`<section class="card"><h3>Pooled standardised trend</h3><p class="verdict insufficient_data">Insufficient data</p><p class="small">${re.detail}</p></section>`;
  return html`<section class="card"><h3>Pooled standardised trend</h3><dl class="facts">
<dt>Mean</dt><dd><strong>${signed(re.mean)}</strong> ${level} CI ${interval(re.ciLow, re.ciHigh)} <span class="small">(${re.interval === 'hartung-knapp' ? 'Hartung–Knapp' : 'normal'}, df ${fixed(re.df, 1)})</span></dd>
<dt>τ², I²</dt><dd>${fixed(re.tau2, 4)}, ${percent(re.i2)}</dd>
<dt>k</dt><dd>${count(re.k)} benchmarks</dd>
</dl><p class="small">DerSimonian–Laird pooling of the family's trends, each divided by the SD of its per-item trend contrasts.</p></section>`;
}

function row(r: DoseResponseRow, section: DoseResponseReport): SafeHtml {
  const s = r.slope;
  const v = r.inHeadlineFamily ? r.holmVerdict : r.verdict;
  const detail = s.insufficientReason ? html`<div class="small insufficient-detail">${words(s.insufficientReason)}${s.insufficientDetail ? html`: ${s.insufficientDetail}` : null}</div>` : null;
  return html`<tr data-benchmark="${r.benchmark}"${r.inHeadlineFamily ? null : html` class="outside-family"`}><th scope="row" class="benchmark">${r.benchmark}<div class="small">${r.metric} ${r.direction === 'higher_is_better' ? '↑' : '↓'}</div>${detail}</th>
<td class="num strong">${signed(s.estimate, 4)}</td><td class="num">${interval(s.ciLow, s.ciHigh, 4)}</td><td class="num">${fixed(s.df, 1)}</td><td class="num">${pValue(s.pValue)}</td><td class="num">${pValue(r.pHolm)}</td><td class="num">${pValue(r.pBH)}</td>
<td class="verdicts"><span class="verdict ${v}">${TREND_LABEL[v]}</span><br><span class="small">unadj. <span class="mark ${r.verdict}">${VERDICT_MARK[r.verdict]}</span> · BH <span class="mark ${r.bhVerdict}">${VERDICT_MARK[r.bhVerdict]}</span></span></td>
<td class="num">${signed(r.standardisedEffect, 2)}</td><td class="num">${count(s.items)}</td><td class="num">${count(s.seeds)}</td><td class="small">${s.method ? METHOD_LABEL[s.method] : '—'}</td>
${section.arms.slice(1).map((a) => {
    const p = r.points.find((x) => x.arm === a.arm);
    return html`<td class="num">${p ? html`${signed(p.delta)}<br><span class="small">${interval(p.ciLow, p.ciHigh)}</span>` : '—'}</td>`;
  })}</tr>`;
}

function table(section: DoseResponseReport, level: string): SafeHtml {
  return html`<details open><summary>The trends as numbers</summary><div class="table-scroll"><table class="benchmarks dose-response-table">
<thead><tr><th scope="col">Benchmark</th><th scope="col" class="num">Trend / pp</th><th scope="col" class="num">${level} CI</th><th scope="col" class="num">df</th><th scope="col" class="num">p</th><th scope="col" class="num">p Holm</th><th scope="col" class="num">p BH</th><th scope="col">Trend (Holm)</th><th scope="col" class="num">Std. trend</th><th scope="col" class="num">Items</th><th scope="col" class="num">Seeds</th><th scope="col">Method</th>${section.arms
    .slice(1)
    .map((a) => html`<th scope="col" class="num">Δ ${a.arm}<br><span class="small">${fractionLabel(a.fraction)}</span></th>`)}</tr></thead>
<tbody>${groupByCategory(section.benchmarks).map(
    ([category, rows]) => html`<tr class="category-row"><th colspan="${String(12 + section.arms.length - 1)}">${groupLabel(category)}</th></tr>${rows.map((r) => row(r, section))}`,
  )}</tbody></table></div></details>`;
}

export function doseResponseSection(section: DoseResponseReport | undefined, anchor: string, level: string): SafeHtml | null {
  if (section === undefined) return null;
  const sweep = section.arms.map((a, i) => html`${i > 0 ? ', ' : ''}<strong>${a.arm}</strong> ${fractionLabel(a.fraction)}`);
  return html`<section id="${anchor}" class="dose-response-section" data-control="${section.control}"><h2>Dose–response</h2>
<p>Sweep: ${sweep}. The trend is the least-squares slope of the oriented score (positive = better) in the trait share, <strong>per +1 percentage point</strong>; intervals cover ${COVERAGE_TEXT[section.covers]}.</p>
${headline(section)}
<div class="cards">${pooled(section.randomEffects, level)}</div>
<figure><figcaption>Per benchmark: each arm's Δ against ${section.control} (dots, coloured by that comparison's unadjusted verdict; whiskers: ${level} CI), the control at 0, and the least-squares line with its pointwise ${level} band. The line above each plot is the trend and its interval, coloured by its verdict (Holm in the family). y scales are shared within a category. Legend: <span class="verdict improved">${VERDICT_LABEL.improved}</span>, <span class="verdict no_change">${VERDICT_LABEL.no_change}</span>, <span class="verdict regressed">${VERDICT_LABEL.regressed}</span>; × no estimate.</figcaption>
${section.benchmarks.length === 0 ? html`<p class="muted">No benchmark was evaluated on every arm of the sweep.</p>` : groupByCategory(section.benchmarks).map(([category, rows]) => html`<div class="curve-group"><h4>${groupLabel(category)}</h4>${doseResponseGrid(rows, section, level)}</div>`)}</figure>
${table(section, level)}
</section>`;
}
