// One comparison: the headline, the random-effects summary, compute matching, the forest plot and the table.
import type { ComparisonReport, ComputeMatch, Headline, RandomEffects, VerdictCounts } from '@ballast/schema';
import { benchmarkTable } from './benchmark-table.js';
import { html, type SafeHtml } from './escape.js';
import { confidenceLabel, count, fixed, interval, percent, pValue, signed } from './format.js';
import { forestPlot } from './forest-plot.js';
import { COVERAGE_TEXT, groupLabel } from './vocabulary.js';

function counts(c: VerdictCounts): SafeHtml {
  return html`<span class="improved">${String(c.improved)} improved</span>, <span class="regressed">${String(c.regressed)} regressed</span>`;
}

/** "k of N benchmarks improved (Holm), j regressed; BH: …; unadjusted: …", then what the intervals cover. */
export function headlineSentence(h: Headline): SafeHtml {
  const of = (c: VerdictCounts) => (c.total === h.holm.total ? null : html` (of ${String(c.total)})`);
  const insufficient = h.holm.insufficient > 0 ? html` ${String(h.holm.insufficient)} had insufficient data.` : null;
  const coverage =
    h.covers === 'items'
      ? html`<strong>Intervals cover item sampling only — seed-to-seed variation is not in them.</strong>`
      : html`Intervals cover ${COVERAGE_TEXT[h.covers]}.`;
  return html`<p class="headline"><strong><span class="improved">${String(h.holm.improved)} of ${String(h.holm.total)} benchmarks improved</span> (Holm), <span class="regressed">${String(h.holm.regressed)} regressed</span></strong>; BH: ${counts(h.bh)}${of(h.bh)}; unadjusted: ${counts(h.unadjusted)}${of(h.unadjusted)}.</p>
<p>Headline family of ${String(h.family)} benchmarks at α = ${fixed(h.alpha, 3)}; ${String(h.holm.noChange)} showed no change.${insufficient} ${coverage} <span class="muted">${h.coverageNote}</span></p>`;
}

function randomEffects(re: RandomEffects, confidence: string): SafeHtml {
  if (re.kind === 'insufficient_data') {
    return html`<section class="card"><h3>Random-effects summary</h3><p class="verdict insufficient_data">Insufficient data</p><p class="small">${re.detail}</p></section>`;
  }
  const method = re.interval === 'hartung-knapp' ? 'Hartung–Knapp' : 'normal';
  return html`<section class="card"><h3>Random-effects summary</h3><dl class="facts">
<dt>Mean standardised effect</dt><dd><strong>${signed(re.mean)}</strong> ${confidence} CI ${interval(re.ciLow, re.ciHigh)} <span class="small">(${method}, df ${fixed(re.df, 1)})</span></dd>
<dt>SE, p</dt><dd>${fixed(re.se)}, p = ${pValue(re.pValue)}</dd>
<dt>τ², I²</dt><dd>${fixed(re.tau2, 4)}, ${percent(re.i2)}</dd>
<dt>k</dt><dd>${count(re.k)} benchmarks</dd>
</dl><p class="small">DerSimonian–Laird pooling of the family's paired d<sub>z</sub>. The interval covers between-benchmark heterogeneity and each benchmark's own sampling error; it describes these benchmarks, not a new one.</p></section>`;
}

function computeMatch(c: ComputeMatch): SafeHtml {
  const badge = c.matched ? html`<span class="badge ok">compute-matched</span>` : html`<span class="badge warn">NOT compute-matched</span>`;
  const tokens =
    c.tokensMatched === null
      ? html`<span class="muted">tokens unknown</span>`
      : c.tokensMatched
        ? html`<span class="badge ok">tokens within 5%</span>`
        : html`<span class="badge warn">tokens differ by more than 5%</span>`;
  return html`<section class="card"><h3>Compute match</h3><p>${badge} ${tokens}</p><table class="compute">
<thead><tr><th scope="col">Arm</th><th scope="col" class="num">Steps</th><th scope="col" class="num">Records</th><th scope="col" class="num">Tokens</th></tr></thead>
<tbody>${[c.treatment, c.control].map(
    (a) => html`<tr><th scope="row">${a.arm}</th><td class="num">${count(a.steps)}</td><td class="num">${count(a.recordsSeen)}</td><td class="num">${count(a.tokensSeen)}</td></tr>`,
  )}</tbody></table><p class="small">Token ratio (treatment / control): ${fixed(c.tokenRatio)}. ${c.note}</p></section>`;
}

function byCategory(cmp: ComparisonReport): SafeHtml {
  const rows: Array<[string, keyof VerdictCounts, string]> = [
    ['Improved', 'improved', 'verdict improved'],
    ['No change', 'noChange', ''],
    ['Regressed', 'regressed', 'verdict regressed'],
    ['Insufficient data', 'insufficient', 'muted'],
    ['Total', 'total', 'strong'],
  ];
  return html`<div class="table-scroll"><table class="by-category">
<thead><tr><th scope="col">By category</th>${cmp.byCategory.map((c) => html`<th scope="col" class="num">${groupLabel(c.category)}</th>`)}</tr></thead>
<tbody>${rows.map(
    ([label, key, cls]) =>
      html`<tr><th scope="row">${label}</th>${cmp.byCategory.map((c) => html`<td class="num ${cls}">${c[key] === 0 && key !== 'total' ? html`<span class="zero">0</span>` : String(c[key])}</td>`)}</tr>`,
  )}</tbody></table></div><p class="small">Holm verdicts inside the headline family, unadjusted outside it.</p>`;
}

function checkpoints(cmp: ComparisonReport): SafeHtml {
  const ids = (list: readonly string[]) => (list.length === 0 ? html`<span class="muted">—</span>` : list.map((id, i) => html`${i > 0 ? ', ' : ''}<span class="mono">${id}</span>`));
  return html`<p class="small">Checkpoints compared (one per seed) — treatment: ${ids(cmp.treatmentCheckpoints)}; control: ${ids(cmp.controlCheckpoints)}</p>`;
}

/** The section of one comparison; `anchor` is its id for the contents list. */
export function comparisonSection(cmp: ComparisonReport, anchor: string, confidence: number): SafeHtml {
  const level = confidenceLabel(confidence);
  const coverage = [...new Set(cmp.benchmarks.map((b) => b.covers))];
  const coverageText = coverage.length === 1 ? `intervals cover ${COVERAGE_TEXT[coverage[0]!]}` : 'what each interval covers is in the table below (it differs between benchmarks)';
  return html`<section class="comparison" id="${anchor}" data-treatment="${cmp.treatment}" data-control="${cmp.control}">
<h2>${cmp.treatment} <span class="muted">vs</span> ${cmp.control}</h2>
${headlineSentence(cmp.headline)}
${checkpoints(cmp)}
<div class="cards">${randomEffects(cmp.randomEffects, level)}${computeMatch(cmp.computeMatch)}</div>
${byCategory(cmp)}
<figure><figcaption>Forest plot: Δ per benchmark with its ${level} confidence interval (${coverageText}); colour is the verdict after Holm adjustment within the headline family (unadjusted, italic label, outside it). The dashed purple tick marks the non-inferiority margin where one was declared. Rows without an interval had insufficient data.</figcaption>
${forestPlot(cmp, confidence)}</figure>
<h3>All numbers</h3>
${benchmarkTable(cmp, confidence)}
</section>`;
}
