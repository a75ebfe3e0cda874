// The forest plot of one comparison: one row per benchmark (Δ and its interval), grouped by category.
import type { BenchmarkComparison, ComparisonReport } from '@ballast/schema';
import { groupByCategory } from './categories.js';
import { html, type SafeHtml } from './escape.js';
import { confidenceLabel, interval, signed } from './format.js';
import { chart, linearScale, niceTicks, px, tickDigits } from './svg.js';
import { truncate } from './text.js';
import { groupLabel, VERDICT_COLOUR, VERDICT_LABEL, words } from './vocabulary.js';

const WIDTH = 1100;
const LABEL_X = 14;
const PLOT_LEFT = 300;
const PLOT_RIGHT = 770;
const VALUE_X = 790;
const VERDICT_X = 960;
const TOP = 66;
const ROW = 19;
const CATEGORY_ROW = 26;
const AXIS = 30;

const finite = (x: number | null): x is number => x !== null && Number.isFinite(x);

/** Δ, its bounds and the non-inferiority margin (drawn at −margin): everything the axis must show. */
function extent(benchmarks: readonly BenchmarkComparison[]): [number, number] {
  const values = [0];
  for (const b of benchmarks) {
    for (const x of [b.delta, b.ciLow, b.ciHigh]) if (finite(x)) values.push(x);
    if (b.nonInferiority) values.push(-b.nonInferiority.margin);
  }
  return [Math.min(...values), Math.max(...values)];
}

function insufficientText(b: BenchmarkComparison): string {
  return b.insufficientReason ? `insufficient data: ${words(b.insufficientReason)}` : 'insufficient data';
}

function row(b: BenchmarkComparison, y: number, x: (v: number) => number, confidence: string): SafeHtml {
  const mid = y + ROW / 2;
  const colour = VERDICT_COLOUR[b.holmVerdict];
  const insufficient = b.holmVerdict === 'insufficient_data' || b.verdict === 'insufficient_data' || !finite(b.ciLow) || !finite(b.ciHigh);
  const tooltip = insufficient
    ? `${b.benchmark}: ${insufficientText(b)}${b.insufficientDetail ? ` (${b.insufficientDetail})` : ''}`
    : `${b.benchmark}: Δ ${signed(b.delta)}, ${confidence} CI ${interval(b.ciLow, b.ciHigh)}; Holm: ${VERDICT_LABEL[b.holmVerdict]}`;
  const margin = b.nonInferiority
    ? html`<line class="ni-margin" x1="${px(x(-b.nonInferiority.margin))}" x2="${px(x(-b.nonInferiority.margin))}" y1="${px(y + 3)}" y2="${px(y + ROW - 3)}"/>`
    : null;
  const mark = insufficient
    ? html`<text class="insufficient-note" x="${px(PLOT_LEFT + 10)}" y="${px(mid + 4)}">${insufficientText(b)}</text>${
        finite(b.delta) ? html`<circle class="point hollow" cx="${px(x(b.delta))}" cy="${px(mid)}" r="3.5"/>` : null
      }`
    : html`<line class="ci" x1="${px(x(b.ciLow!))}" x2="${px(x(b.ciHigh!))}" y1="${px(mid)}" y2="${px(mid)}" stroke="${colour}"/><line class="ci-cap" x1="${px(x(b.ciLow!))}" x2="${px(x(b.ciLow!))}" y1="${px(mid - 4)}" y2="${px(mid + 4)}" stroke="${colour}"/><line class="ci-cap" x1="${px(x(b.ciHigh!))}" x2="${px(x(b.ciHigh!))}" y1="${px(mid - 4)}" y2="${px(mid + 4)}" stroke="${colour}"/>${
        finite(b.delta) ? html`<rect class="point" x="${px(x(b.delta) - 4)}" y="${px(mid - 4)}" width="8" height="8" fill="${colour}"/>` : null
      }`;
  const family = b.inHeadlineFamily ? 'in-family' : 'outside-family';
  return html`<g class="forest-row ${family}" data-benchmark="${b.benchmark}" data-verdict="${b.holmVerdict}"><title>${tooltip}</title><text class="row-label" x="${String(LABEL_X + 10)}" y="${px(mid + 4)}">${truncate(b.benchmark, 40)}</text>${margin}${mark}<text class="row-value" x="${String(VALUE_X)}" y="${px(mid + 4)}">${insufficient ? '—' : `${signed(b.delta)} ${interval(b.ciLow, b.ciHigh)}`}</text><text class="row-verdict" x="${String(VERDICT_X)}" y="${px(mid + 4)}" fill="${colour}">${VERDICT_LABEL[b.holmVerdict]}</text></g>`;
}

function legend(confidence: string): SafeHtml {
  const entries = (['improved', 'no_change', 'regressed'] as const).map(
    (v, i) => html`<g transform="translate(${String(PLOT_LEFT + i * 104)},0)"><rect x="0" y="5" width="8" height="8" fill="${VERDICT_COLOUR[v]}"/><text class="legend" x="13" y="13">${VERDICT_LABEL[v]}</text></g>`,
  );
  return html`<g class="forest-legend"><text class="legend strong" x="${String(LABEL_X)}" y="13">Colour: verdict after Holm adjustment</text>${entries}<g transform="translate(${String(PLOT_LEFT + 3 * 104)},0)"><line class="ni-margin" x1="4" x2="4" y1="3" y2="15"/><text class="legend" x="13" y="13">non-inferiority margin</text></g><text class="legend" x="${String(VERDICT_X - 50)}" y="13">■ Δ, ─ ${confidence} CI</text></g>`;
}

/** The forest plot: `<g class="forest-row" data-benchmark>` per benchmark, coloured by Holm verdict. */
export function forestPlot(comparison: ComparisonReport, confidence: number): SafeHtml {
  const level = confidenceLabel(confidence);
  const groups = groupByCategory(comparison.benchmarks);
  const bodyHeight = groups.reduce((sum, [, items]) => sum + CATEGORY_ROW + items.length * ROW, 0);
  const height = TOP + bodyHeight + AXIS;
  const [low, high] = extent(comparison.benchmarks);
  const { domain, ticks } = niceTicks(low, high, 8);
  const x = linearScale(domain, [PLOT_LEFT, PLOT_RIGHT]);
  const digits = tickDigits(ticks);
  const bottom = TOP + bodyHeight;

  // Bands go under the grid and the rows over it, so that a row's marks are never hidden by a grid line.
  const bands: SafeHtml[] = [];
  const rows: SafeHtml[] = [];
  let y = TOP;
  for (const [category, items] of groups) {
    bands.push(html`<rect class="category-band" x="0" y="${px(y + 4)}" width="${String(WIDTH)}" height="${String(CATEGORY_ROW - 6)}"/>`);
    rows.push(
      html`<g class="forest-category" data-category="${category}"><text class="category-label" x="${String(LABEL_X)}" y="${px(y + 18)}">${groupLabel(category)}</text><text class="category-count" x="${String(VALUE_X)}" y="${px(y + 18)}">${String(items.length)} benchmark${items.length === 1 ? '' : 's'}</text></g>`,
    );
    y += CATEGORY_ROW;
    items.forEach((b, index) => {
      if (index % 2 === 1) bands.push(html`<rect class="row-band" x="0" y="${px(y)}" width="${String(WIDTH)}" height="${String(ROW)}"/>`);
      rows.push(row(b, y, x, level));
      y += ROW;
    });
  }
  const grid = ticks.map(
    (t) =>
      html`<line class="${t === 0 ? 'zero-line' : 'grid-line'}" x1="${px(x(t))}" x2="${px(x(t))}" y1="${String(TOP - 4)}" y2="${String(bottom)}"/><text class="tick" x="${px(x(t))}" y="${String(TOP - 9)}">${signed(t, digits)}</text><text class="tick" x="${px(x(t))}" y="${String(bottom + 14)}">${signed(t, digits)}</text>`,
  );
  const headings = html`<text class="column-heading" x="${String(LABEL_X)}" y="36">Benchmark</text><text class="column-heading" x="${String(VALUE_X)}" y="36">Δ ${level} CI</text><text class="column-heading" x="${String(VERDICT_X)}" y="36">Holm verdict</text><text class="axis-title" x="${px((PLOT_LEFT + PLOT_RIGHT) / 2)}" y="${String(bottom + 28)}">Δ, treatment − control (positive = better)</text>`;
  return chart(
    {
      className: 'forest-plot',
      width: WIDTH,
      height,
      label: `Forest plot, ${comparison.treatment} vs ${comparison.control}: Δ and ${level} CI per benchmark`,
      data: { treatment: comparison.treatment, control: comparison.control },
    },
    [legend(level), headings, bands, grid, rows],
  );
}
