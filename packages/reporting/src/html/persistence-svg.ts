// A persistence curve chart: the treatment's and the control's score against attack step or pressure level,
// each with its CI band, so the gap between the arms (the persistence area) can be seen along the axis.
import type { PersistenceCurves, PersistencePoint } from '@ballast/schema';
import { html, type SafeHtml } from './escape.js';
import { fixed, interval } from './format.js';
import { chart, linearScale, niceTicks, px, tickDigits } from './svg.js';
import { truncate } from './text.js';

const WIDTH = 380;
const HEIGHT = 210;
const LEFT = 46;
const RIGHT = WIDTH - 12;
const TOP = 40;
const BOTTOM = HEIGHT - 34;

/** Okabe–Ito bluish green for the treatment; grey for the control, the baseline it is read against. */
export const ARM_COLOUR = { treatment: '#009e73', control: '#6b7280' } as const;

export type PersistenceChartKind = 'attack-harm' | 'attack-steering' | 'pressure-harm';

export interface PersistenceChartOptions {
  readonly kind: PersistenceChartKind;
  readonly title: string;
  readonly yTitle: string;
  readonly xTitle: string;
  readonly curves: PersistenceCurves;
  readonly treatment: string;
  readonly control: string;
  /** Where each point sits on the axis (a step, or a level's index) and its tick label, in the curves' order. */
  readonly axis: readonly { readonly x: number; readonly label: string }[];
  readonly level: string;
}

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** Runs of consecutive indices whose point has an interval: a band breaks where a point is missing. */
function stretches(points: readonly PersistencePoint[], has: (p: PersistencePoint) => boolean): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  points.forEach((p, i) => {
    if (has(p)) {
      current.push(i);
    } else if (current.length > 0) {
      out.push(current);
      current = [];
    }
  });
  if (current.length > 0) out.push(current);
  return out;
}

function series(role: 'treatment' | 'control', arm: string, points: readonly PersistencePoint[], x: (i: number) => number, y: (v: number) => number, options: PersistenceChartOptions): SafeHtml {
  const colour = ARM_COLOUR[role];
  const bands = stretches(points, (p) => finite(p.ciLow) && finite(p.ciHigh)).map((run) =>
    run.length === 1
      ? html`<line class="persistence-band-single" x1="${px(x(run[0]!))}" x2="${px(x(run[0]!))}" y1="${px(y(points[run[0]!]!.ciLow!))}" y2="${px(y(points[run[0]!]!.ciHigh!))}" stroke="${colour}"/>`
      : html`<polygon class="persistence-band" fill="${colour}" points="${[...run.map((i) => `${px(x(i))},${px(y(points[i]!.ciHigh!))}`), ...[...run].reverse().map((i) => `${px(x(i))},${px(y(points[i]!.ciLow!))}`)].join(' ')}"/>`,
  );
  const lines = stretches(points, (p) => finite(p.estimate)).map(
    (run) => html`<polyline class="persistence-line" stroke="${colour}" points="${run.map((i) => `${px(x(i))},${px(y(points[i]!.estimate!))}`).join(' ')}"/>`,
  );
  const marks = points.map((p, i) => {
    const tip = `${arm} at ${p.label}: ${finite(p.estimate) ? `${fixed(p.estimate)}, ${options.level} CI ${interval(p.ciLow, p.ciHigh)}` : `insufficient data${p.insufficientDetail ? ` (${p.insufficientDetail})` : ''}`}`;
    return finite(p.estimate)
      ? html`<circle class="persistence-point" cx="${px(x(i))}" cy="${px(y(p.estimate))}" r="3" fill="${colour}" data-at="${String(p.at)}"><title>${tip}</title></circle>`
      : html`<text class="persistence-missing" x="${px(x(i))}" y="${px(BOTTOM - 4)}" fill="${colour}" data-at="${String(p.at)}"><title>${tip}</title>×</text>`;
  });
  return html`<g class="persistence-series" data-role="${role}" data-arm="${arm}">${bands}${lines}${marks}</g>`;
}

/** One chart: `.persistence-series` per arm (data-role treatment/control) holding `.persistence-point` per level. */
export function persistenceChart(options: PersistenceChartOptions): SafeHtml {
  const { curves, axis } = options;
  const values = [...curves.treatment, ...curves.control].flatMap((p) => [p.estimate, p.ciLow, p.ciHigh]).filter(finite);
  const { domain, ticks } = niceTicks(values.length > 0 ? Math.min(...values) : 0, values.length > 0 ? Math.max(...values) : 1, 4);
  const xs = axis.map((a) => a.x);
  const xScale = linearScale([Math.min(...xs, 0), Math.max(...xs, 1)], [LEFT + 26, RIGHT - 34]);
  const x = (i: number) => xScale(axis[i]?.x ?? 0);
  const y = linearScale(domain, [BOTTOM, TOP]);
  const digits = tickDigits(ticks);
  const yAxis = ticks.map(
    (t) => html`<line class="grid-line" x1="${String(LEFT)}" x2="${String(RIGHT)}" y1="${px(y(t))}" y2="${px(y(t))}"/><text class="tick end" x="${String(LEFT - 3)}" y="${px(y(t) + 3)}">${fixed(t, digits)}</text>`,
  );
  const xAxis = axis.map((a, i) => html`<text class="tick" x="${px(x(i))}" y="${String(BOTTOM + 13)}">${truncate(a.label, 14)}</text>`);
  const legend = (['treatment', 'control'] as const).map(
    (role, i) =>
      html`<g transform="translate(${String(LEFT + i * 150)},24)"><rect x="0" y="-8" width="14" height="9" fill="${ARM_COLOUR[role]}" fill-opacity="0.35" stroke="${ARM_COLOUR[role]}"/><text class="legend" x="19" y="0">${truncate(role === 'treatment' ? options.treatment : options.control, 20)}</text></g>`,
  );
  return chart(
    {
      className: 'persistence-curve',
      width: WIDTH,
      height: HEIGHT,
      label: `${options.title}: ${options.yTitle} by ${options.xTitle}, ${options.treatment} and ${options.control}, with ${options.level} CI bands`,
      data: { kind: options.kind },
    },
    [
      html`<text class="curve-title" x="4" y="13">${truncate(options.title, 60)}</text>`,
      legend,
      yAxis,
      html`<line class="axis-line" x1="${String(LEFT)}" x2="${String(RIGHT)}" y1="${String(BOTTOM)}" y2="${String(BOTTOM)}"/>`,
      xAxis,
      html`<text class="axis-title" x="${px((LEFT + RIGHT) / 2)}" y="${String(BOTTOM + 28)}">${options.xTitle}</text>`,
      html`<text class="axis-title" transform="translate(11,${px((TOP + BOTTOM) / 2)}) rotate(-90)">${truncate(options.yTitle, 34)}</text>`,
      series('control', options.control, curves.control, x, y, options),
      series('treatment', options.treatment, curves.treatment, x, y, options),
    ],
  );
}
