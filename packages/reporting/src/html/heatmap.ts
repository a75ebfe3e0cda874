// The generalisation matrix as a heatmap: training conditions (comparisons) × evaluation groups.
import type { GeneralisationCell, GeneralisationRow } from '@ballast/schema';
import { html, type SafeHtml } from './escape.js';
import { percent, plainInterval } from './format.js';
import { chart, px } from './svg.js';
import { truncate, wrap } from './text.js';
import { groupLabel, VERDICT_COLOUR } from './vocabulary.js';

const WIDTH = 1180;
const HEADER = 44;
/** Each row's name sits above its cells, so that the cells get the whole width. */
const ROW_TITLE = 26;
const CELL_HEIGHT = 110;
const ROW_HEIGHT = ROW_TITLE + CELL_HEIGHT;
const LEGEND = 44;
/** Average advance of the 9.5px text in the cells, for wrapping (a wide sans serif such as DejaVu). */
const CHAR_WIDTH = 5.5;

// Sequential blues (ColorBrewer), light for none improved to dark for all.
const STOPS: ReadonlyArray<readonly [number, number, number]> = [
  [247, 251, 255],
  [198, 219, 239],
  [107, 174, 214],
  [33, 113, 181],
  [8, 48, 107],
];

/** The fill for a share in [0, 1]. */
export function shareColour(share: number): string {
  const t = Math.min(1, Math.max(0, share)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(t));
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  const f = t - i;
  const channel = (k: 0 | 1 | 2) => Math.round(a[k] + (b[k] - a[k]) * f).toString(16).padStart(2, '0');
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}

/** Columns in the order they first appear, so that categories keep the report's order. */
export function heatmapColumns(rows: readonly GeneralisationRow[]): string[] {
  const seen: string[] = [];
  for (const row of rows) for (const cell of row.cells) if (!seen.includes(cell.column)) seen.push(cell.column);
  return seen;
}

function cell(c: GeneralisationCell | undefined, x: number, y: number, width: number, column: string, comparison: string, level: string): SafeHtml {
  if (!c || c.total === 0) {
    return html`<g class="heatmap-cell empty" data-column="${column}"><title>${comparison}, ${groupLabel(column)}: no benchmarks</title><rect x="${px(x + 1)}" y="${px(y + 1)}" width="${px(width - 2)}" height="${String(CELL_HEIGHT - 2)}" class="cell-empty"/><text class="cell-text muted" x="${px(x + width / 2)}" y="${px(y + CELL_HEIGHT / 2 + 4)}">—</text></g>`;
  }
  const share = c.improved / c.total;
  const dark = share > 0.55;
  const lines = wrap(c.text, Math.floor((width - 10) / CHAR_WIDTH), 5);
  const centre = x + width / 2;
  const tooltip = `${comparison}, ${groupLabel(column)}: ${c.text}; share improved ${percent(share)}, Wilson ${level} ${plainInterval(c.shareLow, c.shareHigh)}; ${c.regressed} regressed`;
  const regressed =
    c.regressed > 0
      ? html`<text class="cell-regressed" x="${px(x + width - 6)}" y="${px(y + 15)}" fill="${dark ? '#ffd7bf' : VERDICT_COLOUR.regressed}">▼${String(c.regressed)}</text>`
      : null;
  return html`<g class="heatmap-cell${dark ? ' dark' : ''}" data-column="${column}"><title>${tooltip}</title><rect x="${px(x + 1)}" y="${px(y + 1)}" width="${px(width - 2)}" height="${String(CELL_HEIGHT - 2)}" rx="3" fill="${shareColour(share)}"/><text class="cell-share" x="${px(centre)}" y="${px(y + 22)}">${percent(share)}</text>${regressed}${lines.map(
    (line, i) => html`<text class="cell-text" x="${px(centre)}" y="${px(y + 38 + i * 11.5)}">${line}</text>`,
  )}<text class="cell-interval" x="${px(centre)}" y="${px(y + CELL_HEIGHT - 10)}">${plainInterval(c.shareLow, c.shareHigh)}</text></g>`;
}

function legend(y: number, level: string): SafeHtml {
  const swatches = [0, 0.25, 0.5, 0.75, 1].map(
    (share, i) => html`<rect x="${String(110 + i * 46)}" y="${px(y + 12)}" width="44" height="12" stroke="#cbd5e1" stroke-width="0.5" fill="${shareColour(share)}"/><text class="legend centre" x="${String(132 + i * 46)}" y="${px(y + 37)}">${percent(share)}</text>`,
  );
  return html`<g class="heatmap-legend"><text class="legend strong" x="0" y="${px(y + 22)}">Share improved</text>${swatches}<text class="legend" x="370" y="${px(y + 22)}">[low, high]: Wilson ${level} interval of the share</text><text class="legend" x="660" y="${px(y + 22)}" fill="${VERDICT_COLOUR.regressed}">▼n: benchmarks that regressed</text></g>`;
}

/** One row per comparison, one column per evaluation group; fill = share of the group's benchmarks improved. */
/** `level` labels the Wilson intervals: the report's confidence, e.g. "95%". */
export function generalisationHeatmap(rows: readonly GeneralisationRow[], level: string): SafeHtml {
  const columns = heatmapColumns(rows);
  const cellWidth = columns.length === 0 ? 0 : Math.min(160, WIDTH / columns.length);
  const height = HEADER + rows.length * ROW_HEIGHT + LEGEND;
  const headerWrap = Math.max(6, Math.floor((cellWidth - 4) / 6.2));
  const header = columns.map((column, i) => {
    const lines = wrap(groupLabel(column), headerWrap, 3);
    const x = (i + 0.5) * cellWidth;
    return html`<text class="column-heading centre" x="${px(x)}" y="${px(HEADER - 8 - (lines.length - 1) * 12)}">${lines.map(
      (line, k) => html`<tspan x="${px(x)}" dy="${k === 0 ? '0' : '12'}">${line}</tspan>`,
    )}</text>`;
  });
  const body = rows.map((row, r) => {
    const y = HEADER + r * ROW_HEIGHT;
    const name = `${row.treatment} vs ${row.control}`;
    const trained = row.trainedDomains.length > 0 ? `trained on ${row.trainedDomains.join(', ')}` : 'no trait domains';
    return html`<g class="heatmap-row" data-treatment="${row.treatment}" data-control="${row.control}"><text class="row-title" x="0" y="${px(y + 18)}">${truncate(name, 60)}<tspan class="row-note" dx="10">${truncate(trained, 120)}</tspan></text>${columns.map((column, i) =>
      cell(row.cells.find((c) => c.column === column), i * cellWidth, y + ROW_TITLE, cellWidth, column, name, level),
    )}</g>`;
  });
  return chart(
    { className: 'heatmap', width: WIDTH, height, label: 'Generalisation matrix: share of benchmarks improved per training condition and evaluation group' },
    [header, body, legend(HEADER + rows.length * ROW_HEIGHT, level)],
  );
}
