// The generalisation matrix: the heatmap, and the same cells as numbers with the pooled effects.
import type { GeneralisationRow } from '@ballast/schema';
import { html, type SafeHtml } from './escape.js';
import { interval, percent, plainInterval, signed } from './format.js';
import { generalisationHeatmap } from './heatmap.js';
import { groupLabel } from './vocabulary.js';

function numbers(rows: readonly GeneralisationRow[], level: string): SafeHtml {
  return html`<details open><summary>The matrix as numbers, with pooled standardised effects</summary><div class="table-scroll"><table class="generalisation">
<thead><tr><th scope="col">Training condition</th><th scope="col">Group</th><th scope="col">In words</th><th scope="col" class="num">Improved</th><th scope="col" class="num">Regressed</th><th scope="col" class="num">Total</th><th scope="col" class="num">Share improved [Wilson ${level}]</th><th scope="col" class="num">Pooled d<sub>z</sub> [${level} CI]</th></tr></thead>
<tbody>${rows.map((row) =>
    row.cells.map(
      (c) => html`<tr><th scope="row">${row.treatment} vs ${row.control}</th><td>${groupLabel(c.column)}</td><td>${c.text}</td><td class="num">${String(c.improved)}</td><td class="num">${String(c.regressed)}</td><td class="num">${String(c.total)}</td><td class="num">${c.total === 0 ? '—' : percent(c.improved / c.total)} ${plainInterval(c.shareLow, c.shareHigh)}</td><td class="num">${
        c.pooled ? html`${signed(c.pooled.mean, 2)} ${interval(c.pooled.ciLow, c.pooled.ciHigh, 2)}` : html`<span class="muted">— (fewer than 2 benchmarks)</span>`
      }</td></tr>`,
    ),
  )}</tbody></table></div></details>`;
}

export function generalisationSection(rows: readonly GeneralisationRow[], anchor: string, level: string): SafeHtml {
  if (rows.length === 0) return html`<section id="${anchor}"><h2>Generalisation</h2><p class="muted">No generalisation matrix in this report.</p></section>`;
  return html`<section id="${anchor}"><h2>Generalisation</h2>
<figure><figcaption>Rows are training conditions (comparisons), columns are evaluation groups (benchmark categories, and in-domain / out-of-domain relative to each treatment arm's trait data). Fill and the large number: the share of the group's benchmarks that improved (Holm in the headline family, unadjusted outside it). [low, high]: Wilson ${level} interval of that share, which reads the group's benchmarks as a sample of such benchmarks; it does not cover seed or item variation within a benchmark.</figcaption>
${generalisationHeatmap(rows, level)}</figure>
${numbers(rows, level)}
</section>`;
}
