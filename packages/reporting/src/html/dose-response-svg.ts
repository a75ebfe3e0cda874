// The dose–response plot of one benchmark: each sweep arm's Δ against the control at its trait % with CI
// whiskers, the control at (0, 0), and the least-squares line with its pointwise band. Small multiples share
// a y scale per category, like the per-checkpoint curves.
import type { DoseResponseReport, DoseResponseRow } from '@ballast/schema';
import { html, type SafeHtml } from './escape.js';
import { interval, signed } from './format.js';
import { fractionLabel } from '../format.js';
import { chart, linearScale, niceTicks, px, tickDigits } from './svg.js';
import { truncate } from './text.js';
import { VERDICT_COLOUR, VERDICT_LABEL } from './vocabulary.js';

const WIDTH = 250;
const HEIGHT = 160;
const LEFT = 40;
const RIGHT = WIDTH - 10;
const TOP = 36;
const BOTTOM = HEIGHT - 30;

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** Every number a row's plot must show, and 0. */
export function doseExtent(rows: readonly DoseResponseRow[]): [number, number] {
  const values = [0];
  for (const r of rows) {
    for (const p of r.points) for (const v of [p.delta, p.ciLow, p.ciHigh]) if (finite(v)) values.push(v);
    for (const f of r.fit) for (const v of [f.value, f.ciLow, f.ciHigh]) if (finite(v)) values.push(v);
  }
  return [Math.min(...values), Math.max(...values)];
}

/** One benchmark's plot: `.dose-point` per arm with a `.dose-whisker`, `.dose-fit` and `.dose-band` for the line. */
export function doseResponsePlot(row: DoseResponseRow, section: DoseResponseReport, yDomain: [number, number], yTicks: number[], level: string): SafeHtml {
  const largest = Math.max(...section.arms.map((a) => a.fraction), 0);
  const x = linearScale([0, largest], [LEFT + 8, RIGHT - 8]);
  const y = linearScale(yDomain, [BOTTOM, TOP]);
  const digits = tickDigits(yTicks);
  const fit = row.fit.filter((p) => finite(p.value));
  const banded = row.fit.filter((p) => finite(p.ciLow) && finite(p.ciHigh));
  const band =
    banded.length >= 2
      ? html`<polygon class="dose-band" points="${[...banded.map((p) => `${px(x(p.fraction))},${px(y(p.ciHigh!))}`), ...[...banded].reverse().map((p) => `${px(x(p.fraction))},${px(y(p.ciLow!))}`)].join(' ')}"/>`
      : null;
  const line = fit.length >= 2 ? html`<polyline class="dose-fit" points="${fit.map((p) => `${px(x(p.fraction))},${px(y(p.value!))}`).join(' ')}"/>` : null;
  const points = row.points.map((p) => {
    const cx = px(x(p.fraction));
    const tip = `${section.control} → ${p.arm} (${fractionLabel(p.fraction)}): Δ ${signed(p.delta)}, ${level} CI ${interval(p.ciLow, p.ciHigh)}, ${VERDICT_LABEL[p.verdict]}`;
    if (!finite(p.delta)) return html`<text class="dose-missing" x="${cx}" y="${px(BOTTOM - 3)}" data-arm="${p.arm}"><title>${tip}</title>×</text>`;
    const whisker = finite(p.ciLow) && finite(p.ciHigh) ? html`<line class="dose-whisker" x1="${cx}" x2="${cx}" y1="${px(y(p.ciLow))}" y2="${px(y(p.ciHigh))}"/>` : null;
    return html`<g class="dose-arm" data-arm="${p.arm}"><title>${tip}</title>${whisker}<circle class="dose-point" cx="${cx}" cy="${px(y(p.delta))}" r="3" fill="${VERDICT_COLOUR[p.verdict]}"/></g>`;
  });
  const s = row.slope;
  const trend = finite(s.estimate) ? `${signed(s.estimate, 4)} / pp ${interval(s.ciLow, s.ciHigh, 4)}` : 'trend: insufficient data';
  const yAxis = yTicks.map(
    (t) =>
      html`<line class="${t === 0 ? 'zero-line' : 'grid-line'}" x1="${String(LEFT)}" x2="${String(RIGHT)}" y1="${px(y(t))}" y2="${px(y(t))}"/><text class="tick end" x="${String(LEFT - 3)}" y="${px(y(t) + 3)}">${signed(t, digits)}</text>`,
  );
  // Close fractions (0%, 1%, 2%) would print on top of each other: a label is left out when too near the last one drawn.
  let last = -Infinity;
  const xAxis = section.arms.flatMap((a) => {
    if (x(a.fraction) - last < 22) return [];
    last = x(a.fraction);
    return [html`<text class="tick" x="${px(x(a.fraction))}" y="${String(BOTTOM + 12)}">${fractionLabel(a.fraction)}</text>`];
  });
  return chart(
    {
      className: 'dose-response',
      width: WIDTH,
      height: HEIGHT,
      label: `${row.benchmark}: Δ against ${section.control} by trait share, with ${level} CIs and the fitted line`,
      data: { benchmark: row.benchmark, verdict: row.inHeadlineFamily ? row.holmVerdict : row.verdict },
    },
    [
      html`<text class="curve-title" x="4" y="12">${truncate(row.benchmark, 40)}</text>`,
      html`<text class="dose-trend" x="4" y="23" fill="${VERDICT_COLOUR[row.inHeadlineFamily ? row.holmVerdict : row.verdict]}">${trend}</text>`,
      yAxis,
      html`<line class="axis-line" x1="${String(LEFT)}" x2="${String(RIGHT)}" y1="${String(BOTTOM)}" y2="${String(BOTTOM)}"/>`,
      xAxis,
      html`<text class="axis-title" x="${px((LEFT + RIGHT) / 2)}" y="${String(BOTTOM + 25)}">trait share of the mix</text>`,
      band,
      line,
      html`<circle class="dose-control" cx="${px(x(0))}" cy="${px(y(0))}" r="2.5"><title>${section.control} (0%): the reference, Δ = 0</title></circle>`,
      points,
    ],
  );
}

/** Small multiples of the rows, one y scale for all, in the given order. */
export function doseResponseGrid(rows: readonly DoseResponseRow[], section: DoseResponseReport, level: string): SafeHtml {
  const [low, high] = doseExtent(rows);
  const { domain, ticks } = niceTicks(low, high, 4);
  return html`<div class="small-multiples">${rows.map((r) => doseResponsePlot(r, section, domain, ticks, level))}</div>`;
}
