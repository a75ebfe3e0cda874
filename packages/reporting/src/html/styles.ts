// The report's only style sheet, inline so that the file opens anywhere with nothing to fetch. System fonts
// only; charts take their typography from here.
import { cssString, trustedMarkup, type SafeHtml } from './escape.js';

const BASE = `
:root { color-scheme: light; --text: #1f2937; --muted: #6b7280; --line: #e5e7eb; --soft: #f8fafc; --band: #f1f5f9;
  --improved: #0072b2; --regressed: #d55e00; --no-change: #6b7280; --insufficient: #a3a3a3; --accent: #334155; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: var(--text); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 20px 30px 40px; }
h1 { font-size: 26px; line-height: 1.25; margin: 18px 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 20px; margin: 40px 0 10px; padding-top: 12px; border-top: 2px solid var(--accent); }
h3 { font-size: 15px; margin: 24px 0 8px; }
h4 { font-size: 11.5px; margin: 14px 0 6px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--accent); }
p { margin: 6px 0; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; }
.muted { color: var(--muted); }
.small { font-size: 11px; color: var(--muted); }
.strong { font-weight: 600; }
.nowrap { white-space: nowrap; }
.banner { background: #fff4e5; border: 1px solid #f0b46b; border-left: 6px solid #e08600; border-radius: 4px; padding: 8px 14px; margin: 12px 0; }
.banner p { margin: 2px 0; font-weight: 700; color: #6b3500; letter-spacing: 0.01em; }
.banner p.banner-model { color: #4c1d95; }
.banner-icon { color: #e08600; }
.subtitle { color: var(--muted); margin: 0 0 10px; }
.labels { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0; padding: 0; list-style: none; }
.labels li { background: var(--band); border: 1px solid var(--line); border-radius: 999px; padding: 1px 10px; font-size: 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 14px; margin: 14px 0; align-items: start; }
.card { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px 16px; }
.card h3 { margin: 4px 0 8px; font-size: 13px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--accent); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0; font-size: 13px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
nav.toc { font-size: 13px; margin: 10px 0 0; }
nav.toc a { color: var(--accent); margin-right: 14px; }
.coverage { border-left: 4px solid var(--accent); background: var(--soft); padding: 6px 12px; margin: 8px 0; }
.headline { font-size: 17px; line-height: 1.45; margin: 10px 0; }
.headline .improved, .verdict.improved { color: var(--improved); }
.headline .regressed, .verdict.regressed { color: var(--regressed); }
.verdict.no_change { color: var(--no-change); }
.verdict.insufficient_data { color: var(--insufficient); font-style: italic; }
.verdict.improved, .verdict.regressed { font-weight: 600; }
.badge { display: inline-block; border-radius: 3px; padding: 0 7px; font-size: 12px; font-weight: 600; }
.badge.ok { background: #e6f4ea; color: #1e6b34; }
.badge.warn { background: #fde8dc; color: #9a3412; }
figure { margin: 14px 0; }
figcaption { font-size: 12px; color: var(--muted); margin: 0 0 6px; max-width: 1100px; }
.table-scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 12px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 7px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { position: sticky; top: 0; background: #fff; border-bottom: 2px solid var(--accent); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.benchmarks { font-size: 11px; }
table.benchmarks th, table.benchmarks td { padding: 3px 4px; }
table.benchmarks thead th { font-size: 10.5px; }
.mark.improved { color: var(--improved); } .mark.regressed { color: var(--regressed); } .mark.no_change { color: #9ca3af; } .mark.insufficient_data { color: var(--insufficient); }
table.benchmarks th.benchmark { font-weight: 500; white-space: nowrap; }
table.benchmarks table.by-category { width: 100%; }
table.replicates th[scope="row"] { white-space: nowrap; }
table.by-category thead th { white-space: normal; vertical-align: bottom; font-size: 11px; text-transform: none; }
table.by-category .zero { color: #c0c4cc; font-weight: 400; }
.insufficient-detail { white-space: normal; max-width: 260px; }
table.benchmarks td.covers, table.benchmarks td.verdicts { white-space: nowrap; }
table.benchmarks tr.outside-family th.benchmark { font-style: italic; }
tr.category-row th { background: var(--band); text-transform: uppercase; letter-spacing: 0.05em; font-size: 10.5px; color: var(--accent); padding-top: 5px; }
.ni.non_inferior .ni-verdict { color: var(--improved); font-weight: 600; }
.ni.inferior .ni-verdict { color: var(--regressed); font-weight: 600; }
.ni .small { white-space: nowrap; }
table.by-category { width: 100%; }
table.replicates th[scope="row"] { white-space: nowrap; }
table.by-category thead th { white-space: normal; vertical-align: bottom; font-size: 11px; text-transform: none; }
table.by-category .zero { color: #c0c4cc; font-weight: 400; }
.insufficient-detail { font-style: italic; font-weight: 400; }
details > summary { cursor: pointer; color: var(--accent); font-weight: 600; margin: 8px 0; }
.legend-html { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12px; color: var(--muted); margin: 6px 0; align-items: center; }
.legend-html .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; vertical-align: -1px; }
.legend-html .band-swatch { display: inline-block; width: 18px; height: 10px; background: #cbd5e1; margin-right: 4px; vertical-align: -1px; }
.small-multiples { display: flex; flex-wrap: wrap; gap: 8px; }
footer { max-width: 1240px; margin: 0 auto; padding: 0 30px 30px; font-size: 12px; color: var(--muted); }

svg.chart { display: block; overflow: visible; fill: var(--text); font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif; font-size: 11px; }
svg.chart .tick { font-size: 10px; fill: var(--muted); text-anchor: middle; font-variant-numeric: tabular-nums; }
svg.chart .tick.end { text-anchor: end; }
svg.chart .grid-line { stroke: #e9edf2; stroke-width: 1; }
svg.chart .zero-line { stroke: #1f2937; stroke-width: 1; }
svg.chart .legend { font-size: 11px; fill: var(--muted); }
svg.chart .legend.strong { fill: var(--text); font-weight: 600; }
svg.chart .legend.centre, svg.chart .centre { text-anchor: middle; }
svg.chart .column-heading { font-size: 10.5px; font-weight: 600; fill: var(--accent); text-transform: uppercase; letter-spacing: 0.04em; }
svg.chart .axis-title { font-size: 11px; fill: var(--muted); text-anchor: middle; }
svg.chart .axis-line { stroke: #9ca3af; }
.forest-plot .category-band { fill: var(--band); }
.forest-plot .row-band { fill: #fafbfc; }
.forest-plot .category-label { font-size: 10.5px; font-weight: 700; text-transform: uppercase; letter-spacing: 0.05em; fill: var(--accent); }
.forest-plot .category-count { font-size: 10.5px; fill: var(--muted); }
.forest-plot .row-label { font-size: 11.5px; }
.forest-plot .outside-family .row-label { font-style: italic; fill: var(--muted); }
.forest-plot .ci { stroke-width: 2; stroke-linecap: round; }
.forest-plot .ci-cap { stroke-width: 1.5; }
.forest-plot .point { stroke: #fff; stroke-width: 0.75; }
.forest-plot .point.hollow { fill: #fff; stroke: var(--insufficient); stroke-width: 1.5; }
.forest-plot .ni-margin { stroke: #7c3aed; stroke-width: 1.5; stroke-dasharray: 2 2; }
.forest-plot .insufficient-note { font-size: 10.5px; font-style: italic; fill: var(--insufficient); }
.forest-plot .row-value { font-size: 11px; font-variant-numeric: tabular-nums; }
.forest-plot .row-verdict { font-size: 11px; font-weight: 600; }
.heatmap .row-title { font-size: 13px; font-weight: 600; }
.heatmap .row-note { font-size: 11px; font-weight: 400; fill: var(--muted); }
svg.heatmap .column-heading { text-transform: none; letter-spacing: 0; font-size: 11px; }
.heatmap .cell-share { font-size: 15px; font-weight: 700; text-anchor: middle; fill: #0f172a; }
.heatmap .cell-text { font-size: 9.5px; text-anchor: middle; fill: #1f2937; }
.heatmap .cell-interval { font-size: 9.5px; text-anchor: middle; fill: #334155; font-variant-numeric: tabular-nums; }
.heatmap .dark .cell-share, .heatmap .dark .cell-text, .heatmap .dark .cell-interval { fill: #fff; }
.heatmap .cell-regressed { font-size: 10px; font-weight: 700; text-anchor: end; }
.heatmap .cell-empty { fill: #f3f4f6; }
svg.curve { border: 1px solid var(--line); border-radius: 4px; background: #fff; }
.curve .curve-title { font-size: 10.5px; font-weight: 600; }
.curve .curve-band { fill: #cbd5e1; fill-opacity: 0.7; }
.curve .curve-band-single { stroke: #94a3b8; stroke-width: 3; }
.curve .curve-line { fill: none; stroke: #334155; stroke-width: 1.5; }
.curve .curve-point { stroke: #fff; stroke-width: 0.75; }
.curve .curve-missing { font-size: 10px; fill: var(--insufficient); text-anchor: middle; }
.curve .curve-note { font-size: 10px; font-style: italic; fill: var(--insufficient); }
svg.dose-response, svg.persistence-curve { border: 1px solid var(--line); border-radius: 4px; background: #fff; }
.dose-response .dose-band { fill: #cbd5e1; fill-opacity: 0.6; }
.dose-response .dose-fit { fill: none; stroke: #334155; stroke-width: 1.5; }
.dose-response .dose-whisker { stroke: #475569; stroke-width: 1.25; }
.dose-response .dose-point { stroke: #fff; stroke-width: 0.75; }
.dose-response .dose-control { fill: #fff; stroke: #334155; stroke-width: 1.25; }
.dose-response .dose-trend { font-size: 10px; font-weight: 600; font-variant-numeric: tabular-nums; }
.dose-response .dose-missing, .persistence-curve .persistence-missing { font-size: 10px; text-anchor: middle; }
.persistence-curve .persistence-band { fill-opacity: 0.18; stroke: none; }
.persistence-curve .persistence-band-single { stroke-width: 3; stroke-opacity: 0.4; }
.persistence-curve .persistence-line { fill: none; stroke-width: 1.75; }
.persistence-curve .persistence-point { stroke: #fff; stroke-width: 0.75; }
.persistence-verdict.improved { color: var(--improved); font-weight: 600; }
.persistence-verdict.worse { color: var(--regressed); font-weight: 600; }
.persistence-verdict.insufficient_data { color: var(--insufficient); font-style: italic; }
table.selective-persistence { font-size: 12.5px; margin: 8px 0; }
.reuse-note { border-left: 4px solid #f0b46b; background: #fffaf2; padding: 4px 12px; margin: 8px 0; }
.reuse-note ul { margin: 4px 0; padding-left: 20px; }
td.reused { min-width: 170px; }

@media print {
  body { font-size: 11px; }
  main, footer { max-width: none; padding: 0; }
  .banner { break-inside: avoid; }
  h2 { break-before: page; }
  figure, .card, svg.chart { break-inside: avoid; }
  .table-scroll { overflow: visible; }
  thead th { position: static; }
  details > *:not(summary) { display: block; }
}
`;

/**
 * The style sheet, with the banner lines in the margin of every printed page (CSS page margin boxes).
 */
export function styleSheet(bannerLines: readonly string[]): SafeHtml {
  const page =
    bannerLines.length === 0
      ? '@page { margin: 14mm 12mm; }'
      : `@page { margin: 18mm 12mm 16mm; @top-center { content: ${cssString(bannerLines.join('  ·  '))}; font: 700 9pt sans-serif; color: #6b3500; } @bottom-center { content: ${cssString(bannerLines.join('  ·  '))}; font: 700 8pt sans-serif; color: #6b3500; } }`;
  return trustedMarkup(`<style>${BASE}${page}</style>`);
}
