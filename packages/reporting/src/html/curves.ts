// Per-checkpoint curves as small multiples: one tiny chart per benchmark (Δ by training step with its
// interval as a band), grouped by category with a y scale shared inside each category, so that 50+
// benchmarks stay readable and neighbours compare at a glance.
import type { BenchmarkCategory, BenchmarkCurve, ComparisonReport, CurvePoint } from '@ballast/schema';
import { BENCHMARK_CATEGORIES } from '@ballast/schema';
import { html, type SafeHtml } from './escape.js';
import { count, interval, signed } from './format.js';
import { chart, linearScale, niceTicks, px, tickDigits } from './svg.js';
import { truncate } from './text.js';
import { groupLabel, VERDICT_COLOUR, VERDICT_LABEL } from './vocabulary.js';

const WIDTH = 226;
const HEIGHT = 124;
const LEFT = 38;
const RIGHT = WIDTH - 8;
const TOP = 24;
const BOTTOM = HEIGHT - 22;

const finite = (x: number | null): x is number => x !== null && Number.isFinite(x);

/** Runs of consecutive points that have what `has` asks for: a line or band breaks where data is missing. */
function runs(points: readonly CurvePoint[], has: (p: CurvePoint) => boolean): CurvePoint[][] {
  const out: CurvePoint[][] = [];
  let current: CurvePoint[] = [];
  for (const p of points) {
    if (has(p)) {
      current.push(p);
    } else if (current.length > 0) {
      out.push(current);
      current = [];
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

function curveChart(curve: BenchmarkCurve, yDomain: [number, number], yTicks: number[], xDomain: [number, number], steps: number[], confidence: string): SafeHtml {
  const points = [...curve.points].sort((a, b) => a.step - b.step);
  const x = linearScale(xDomain, [LEFT + 4, RIGHT - 4]);
  const y = linearScale(yDomain, [BOTTOM, TOP]);
  const digits = tickDigits(yTicks);
  const bands = runs(points, (p) => finite(p.ciLow) && finite(p.ciHigh)).map((run) => {
    const upper = run.map((p) => `${px(x(p.step))},${px(y(p.ciHigh!))}`);
    const lower = [...run].reverse().map((p) => `${px(x(p.step))},${px(y(p.ciLow!))}`);
    return run.length === 1
      ? html`<line class="curve-band-single" x1="${px(x(run[0]!.step))}" x2="${px(x(run[0]!.step))}" y1="${px(y(run[0]!.ciLow!))}" y2="${px(y(run[0]!.ciHigh!))}"/>`
      : html`<polygon class="curve-band" points="${[...upper, ...lower].join(' ')}"/>`;
  });
  const lines = runs(points, (p) => finite(p.delta)).map(
    (run) => html`<polyline class="curve-line" points="${run.map((p) => `${px(x(p.step))},${px(y(p.delta!))}`).join(' ')}"/>`,
  );
  const marks = points.map((p) =>
    finite(p.delta)
      ? html`<circle class="curve-point" cx="${px(x(p.step))}" cy="${px(y(p.delta))}" r="2.6" fill="${VERDICT_COLOUR[p.verdict]}"><title>step ${count(p.step)}: Δ ${signed(p.delta)}, ${confidence} CI ${interval(p.ciLow, p.ciHigh)}, ${count(p.seeds)} seed pair(s), ${VERDICT_LABEL[p.verdict]}</title></circle>`
      : html`<text class="curve-missing" x="${px(x(p.step))}" y="${px(BOTTOM - 3)}"><title>step ${count(p.step)}: ${VERDICT_LABEL[p.verdict]}</title>×</text>`,
  );
  const yAxis = yTicks.map(
    (t) =>
      html`<line class="${t === 0 ? 'zero-line' : 'grid-line'}" x1="${String(LEFT)}" x2="${String(RIGHT)}" y1="${px(y(t))}" y2="${px(y(t))}"/><text class="tick end" x="${String(LEFT - 3)}" y="${px(y(t) + 3)}">${signed(t, digits)}</text>`,
  );
  const xAxis = steps.map((s) => html`<text class="tick" x="${px(x(s))}" y="${String(BOTTOM + 13)}">${count(s)}</text>`);
  const last = points.at(-1);
  return chart(
    {
      className: 'curve',
      width: WIDTH,
      height: HEIGHT,
      label: `${curve.benchmark}: Δ by training step with ${confidence} CI band`,
      data: { benchmark: curve.benchmark },
    },
    [
      html`<text class="curve-title" x="4" y="13">${truncate(curve.benchmark, 38)}</text>`,
      yAxis,
      html`<line class="axis-line" x1="${String(LEFT)}" x2="${String(RIGHT)}" y1="${String(BOTTOM)}" y2="${String(BOTTOM)}"/>`,
      xAxis,
      bands,
      lines,
      marks,
      last && !finite(last.delta) ? html`<text class="curve-note" x="${String(LEFT + 6)}" y="${String(TOP + 12)}">insufficient data</text>` : null,
    ],
  );
}

/** Small multiples of one comparison's curves, grouped by category. */
export function curveGrid(comparison: ComparisonReport, confidenceLabel: string): SafeHtml {
  const categoryOf = new Map<string, BenchmarkCategory>(comparison.benchmarks.map((b) => [b.benchmark, b.category]));
  const steps = [...new Set(comparison.curves.flatMap((c) => c.points.map((p) => p.step)))].sort((a, b) => a - b);
  if (steps.length === 0) return html`<p class="muted">No per-checkpoint curves in this comparison.</p>`;
  const xDomain: [number, number] = [steps[0]!, steps.at(-1)!];
  const shownSteps = steps.length <= 5 ? steps : [steps[0]!, steps[Math.floor(steps.length / 2)]!, steps.at(-1)!];
  const groups = [...BENCHMARK_CATEGORIES, null].map((category) => ({
    category,
    curves: comparison.curves.filter((c) => (categoryOf.get(c.benchmark) ?? null) === category),
  }));
  return html`${groups
    .filter((g) => g.curves.length > 0)
    .map((g) => {
      const values = [0, ...g.curves.flatMap((c) => c.points.flatMap((p) => [p.delta, p.ciLow, p.ciHigh]).filter(finite))];
      const { domain, ticks } = niceTicks(Math.min(...values), Math.max(...values), 3);
      return html`<div class="curve-group"><h4>${g.category ? groupLabel(g.category) : 'other'}</h4><div class="small-multiples">${g.curves.map((c) =>
        curveChart(c, domain, ticks, xDomain, shownSteps, confidenceLabel),
      )}</div></div>`;
    })}`;
}
