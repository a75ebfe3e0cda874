// The top of the report: what the experiment is, what was declared before launch, and how intervals were made.
import type { Report } from '@ballast/schema';
import { html, type SafeHtml } from './escape.js';
import { confidenceLabel, count, fixed } from './format.js';
import { COVERAGE_TEXT, groupLabel, words } from './vocabulary.js';

function list(values: readonly string[], empty = '—'): SafeHtml {
  return values.length === 0 ? html`<span class="muted">${empty}</span>` : html`${values.map((v, i) => html`${i > 0 ? ', ' : ''}<code>${v}</code>`)}`;
}

function preregistration(report: Report): SafeHtml {
  const p = report.preregistration;
  const margins = Object.entries(p.nonInferiorityMargins);
  return html`<section class="card" aria-labelledby="prereg-title"><h3 id="prereg-title">${report.preregistration.declared ? 'Pre-registration (as declared)' : 'Analysis (defaults applied at report time: launched before specs declared one)'}</h3><dl class="facts">
<dt>α</dt><dd>${fixed(p.alpha, 3)}</dd>
<dt>Seeds per arm</dt><dd>${count(p.seedsPerArm)}</dd>
<dt>Headline family</dt><dd>${p.headlineCategories.length > 0 ? html`categories ${list(p.headlineCategories.map(groupLabel))}` : null}${
    p.headlineCategories.length > 0 && p.headlineBenchmarks.length > 0 ? html`; ` : null
  }${p.headlineBenchmarks.length > 0 ? html`benchmarks ${list(p.headlineBenchmarks)}` : null}${
    p.headlineCategories.length === 0 && p.headlineBenchmarks.length === 0 ? html`<span class="muted">none declared</span>` : null
  }</dd>
<dt>Primary metrics</dt><dd>${list(p.primaryMetrics)}</dd>
<dt>Non-inferiority margins</dt><dd>${margins.length === 0 ? html`<span class="muted">none</span>` : margins.map(([k, m], i) => html`${i > 0 ? '; ' : ''}${words(k)} ${fixed(m)}`)}</dd>
<dt>Interval method</dt><dd><code>${p.interval}</code></dd>
</dl></section>`;
}

function method(report: Report): SafeHtml {
  const m = report.method;
  return html`<section class="card" aria-labelledby="method-title"><h3 id="method-title">Method</h3><dl class="facts">
<dt>Interval</dt><dd>${m.interval}</dd>
<dt>Confidence</dt><dd>${confidenceLabel(m.confidence)}</dd>
<dt>Intervals cover</dt><dd>${COVERAGE_TEXT[m.covers]}</dd>
<dt>Multiple comparisons</dt><dd>${m.multipleComparisons}</dd>
<dt>Pooling</dt><dd>${m.pooling}</dd>
${report.samplesPerItem === undefined ? null : html`<dt>Samples per item</dt><dd>${count(report.samplesPerItem)} (each item's score is their mean)</dd>`}
<dt>Orientation</dt><dd>Δ = treatment − control, oriented so that positive is better (lower-is-better metrics, ↓, are negated)</dd>
</dl></section>`;
}

/** The sections of the report that the contents list links to: [anchor, title]. */
export type TocEntry = readonly [string, string];

/** Title, identity, labels, contents, the coverage statement, pre-registration and method. */
export function headerSection(report: Report, toc: readonly TocEntry[]): SafeHtml {
  const labels = Object.entries(report.labels ?? {});
  const coverage =
    report.method.covers === 'items'
      ? html`<p class="coverage"><strong>Intervals cover item sampling only — seed-to-seed variation is not in them.</strong> Read every interval below as “if we re-drew the benchmark items”, not “if we re-ran training”.</p>`
      : html`<p class="coverage">Intervals cover ${COVERAGE_TEXT[report.method.covers]}.</p>`;
  return html`<header>
<h1>${report.experimentName}</h1>
<p class="subtitle">Experiment report · <span class="mono">${report.experimentId}</span> · spec hash <span class="mono">${report.specHash}</span> · schema v${String(report.schemaVersion)}</p>
${report.description ? html`<p class="description">${report.description}</p>` : null}
${labels.length > 0 ? html`<ul class="labels" aria-label="labels">${labels.map(([k, v]) => html`<li><span class="muted">${k}</span> ${v}</li>`)}</ul>` : null}
<nav class="toc" aria-label="contents">${toc.map(([anchor, title]) => html`<a href="#${anchor}">${title}</a>`)}</nav>
${coverage}
<div class="cards">${preregistration(report)}${method(report)}</div>
</header>`;
}
