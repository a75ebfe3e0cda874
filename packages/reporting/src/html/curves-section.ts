// Per-checkpoint curves of every comparison, as small multiples.
import type { Report } from '@ballast/schema';
import { curveGrid } from './curves.js';
import { html, type SafeHtml } from './escape.js';
import { confidenceLabel } from './format.js';
import { COVERAGE_TEXT, VERDICT_COLOUR, VERDICT_LABEL } from './vocabulary.js';

function legend(level: string): SafeHtml {
  const dots = (['improved', 'no_change', 'regressed'] as const).map(
    (v) => html`<span><span class="swatch" style="background:${VERDICT_COLOUR[v]}"></span>${VERDICT_LABEL[v]} at that step (unadjusted)</span>`,
  );
  return html`<div class="legend-html"><span><span class="band-swatch"></span>${level} CI band</span>${dots}<span>× no estimate at that step</span></div>`;
}

export function curvesSection(report: Report, anchor: string): SafeHtml {
  const level = confidenceLabel(report.method.confidence);
  const withCurves = report.comparisons.filter((c) => c.curves.length > 0);
  return html`<section id="${anchor}"><h2>Per-checkpoint curves</h2>
<p class="small">Δ (treatment − control, positive = better) at each training step, one small chart per benchmark; the y scale is shared within a category. Bands are ${level} intervals covering ${COVERAGE_TEXT[report.method.covers]}; they are per step and not adjusted for multiplicity.</p>
${legend(level)}
${withCurves.length === 0 ? html`<p class="muted">No per-checkpoint curves in this report.</p>` : null}
${withCurves.map((c) => html`<section class="curves" data-treatment="${c.treatment}" data-control="${c.control}"><h3>${c.treatment} <span class="muted">vs</span> ${c.control}</h3>${curveGrid(c, level)}</section>`)}
</section>`;
}
