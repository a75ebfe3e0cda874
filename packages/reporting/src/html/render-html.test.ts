import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Report } from '@ballast/schema';
import { SIMULATED_BANNER } from './banner.js';
import { cssString, escapeHtml } from './escape.js';
import { fixtureReport } from './fixture-report.js';
import { expectedCharts } from './fixture-sections.js';
import { count, interval, MISSING, pValue, signed } from './format.js';
import { renderReportHtml } from './render-html.js';

const HOSTILE = `<script>alert(1)</script>"><img src=x onerror=alert(2)>' onmouseover='alert(3)' &amp; & \u0000nul \u0007\u001b[31m\u009b \u202eevil\r\n</style></svg>`;

/** The fixture with a hostile string in every kind of user or data text the page shows. */
function hostileReport(): Report {
  const report = fixtureReport();
  const cmp = report.comparisons[0]!;
  const first = cmp.benchmarks[0]!;
  const oldId = first.benchmark;
  const hostileId = `bench ${HOSTILE}`;
  first.benchmark = hostileId;
  for (const curve of cmp.curves) if (curve.benchmark === oldId) curve.benchmark = hostileId;
  const insufficient = cmp.benchmarks.find((b) => b.verdict === 'insufficient_data')!;
  insufficient.insufficientDetail = `detail ${HOSTILE}`;
  cmp.headline.coverageNote = `note ${HOSTILE}`;
  cmp.computeMatch.note = `compute ${HOSTILE}`;
  report.generalisation[0]!.cells[0]!.text = `cell ${HOSTILE}`;
  report.arms[0]!.replicates[0]!.mixManifest = `manifest ${HOSTILE}`;
  report.arms[0]!.replicates[0]!.reusedFrom = { experimentId: `id ${HOSTILE}`, experimentName: `earlier ${HOSTILE}`, run: `run ${HOSTILE}` };
  const dose = report.doseResponse!;
  dose.benchmarks[0]!.benchmark = `dose ${HOSTILE}`;
  dose.benchmarks[0]!.points[0]!.arm = `arm ${HOSTILE}`;
  dose.arms[1]!.arm = `arm ${HOSTILE}`;
  const stressed = report.persistence!.comparisons[0]!;
  stressed.attacks[0]!.attack = `attack ${HOSTILE}`;
  stressed.pressure!.levels[1]!.label = `pressure ${HOSTILE}`;
  stressed.attacks[0]!.harm.treatment[1]!.label = `label ${HOSTILE}`;
  report.persistence!.steering = [`steer ${HOSTILE}`];
  return Report.parse({
    ...report,
    experimentName: `name ${HOSTILE}`,
    description: `description ${HOSTILE}`,
    labels: { [`key ${HOSTILE}`]: `value ${HOSTILE}` },
    specHash: `hash ${HOSTILE}`,
    modelLabel: `model ${HOSTILE}`,
  });
}

/** The comparison sections' markup, in order. */
function comparisonSections(page: string): string[] {
  return page.split('<section class="comparison"').slice(1).map((part) => part.split('<section id="generalisation"')[0]!);
}

/** Each `<g class="forest-row ...">…</g>` group (rows hold no nested <g>). */
function forestRows(markup: string): Array<{ benchmark: string; verdict: string; body: string }> {
  return [...markup.matchAll(/<g class="forest-row[^"]*" data-benchmark="([^"]*)" data-verdict="([^"]*)">([\s\S]*?)<\/g>/g)].map((m) => ({
    benchmark: m[1]!,
    verdict: m[2]!,
    body: m[3]!,
  }));
}

const VOID = new Set(['meta', 'br', 'img', 'input', 'link', 'hr', 'wbr', 'col', 'area', 'base', 'source']);

/**
 * Checks the markup is well formed enough to trust: outside <style>, every `<` starts a strict tag (name,
 * then only name="value" attributes), no attribute is an event handler, and tags nest and close.
 * Returns the problems found.
 */
function markupProblems(page: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const withoutStyle = page.replace(/<style>[\s\S]*?<\/style>/g, '<style></style>');
  const tag = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<>]*")?)*)\s*(\/?)>/;
  for (let i = withoutStyle.indexOf('<'); i !== -1; i = withoutStyle.indexOf('<', i + 1)) {
    const rest = withoutStyle.slice(i, i + 4000);
    if (rest.startsWith('<!DOCTYPE html>')) continue;
    const m = tag.exec(rest);
    if (!m) {
      problems.push(`not a strict tag at ${i}: ${JSON.stringify(rest.slice(0, 80))}`);
      continue;
    }
    const [, closing, rawName, attributes, selfClosing] = m;
    const name = rawName!.toLowerCase();
    // Attribute by attribute, so that text inside a quoted value is never read as a name.
    for (const attr of attributes!.matchAll(/\s+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="[^"<>]*")?/gy)) {
      if (/^on/i.test(attr[1]!)) problems.push(`event-handler attribute ${attr[1]} on <${name}>`);
    }
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
    } else if (!selfClosing && !VOID.has(name)) {
      stack.push(name);
    }
  }
  if (stack.length > 0) problems.push(`never closed: ${stack.join(' > ')}`);
  return problems;
}

describe('renderReportHtml on the fixture', { timeout: 60_000 }, () => {
  const report = fixtureReport();
  const page = renderReportHtml(report);

  test('the fixture is what the tests assume: 2 comparisons × 55 benchmarks, some without data', { timeout: 10_000 }, () => {
    assert.equal(report.comparisons.length, 2, 'expected 2 comparisons in the fixture');
    for (const cmp of report.comparisons) {
      assert.equal(cmp.benchmarks.length, 55, `expected 55 benchmarks in ${cmp.treatment} vs ${cmp.control}`);
      assert.ok(cmp.benchmarks.some((b) => b.verdict === 'insufficient_data'), 'expected some insufficient_data rows');
      assert.ok(cmp.benchmarks.some((b) => b.nonInferiority !== null), 'expected non-inferiority results');
    }
    assert.equal(renderReportHtml(fixtureReport()), page, 'expected the same page from the same fixture (deterministic)');
  });

  test('each comparison has one forest row per benchmark, in a forest plot of its own', { timeout: 10_000 }, () => {
    const sections = comparisonSections(page);
    assert.equal(sections.length, report.comparisons.length, `expected ${report.comparisons.length} comparison sections`);
    sections.forEach((section, i) => {
      const cmp = report.comparisons[i]!;
      const plot = /<svg class="chart forest-plot"[\s\S]*?<\/svg>/.exec(section)?.[0];
      assert.ok(plot, `expected a forest plot in section ${i + 1}`);
      const rows = forestRows(plot);
      assert.equal(rows.length, cmp.benchmarks.length, `expected ${cmp.benchmarks.length} forest rows in ${cmp.treatment} vs ${cmp.control}, found ${rows.length}`);
      assert.deepEqual(
        rows.map((r) => r.benchmark).sort(),
        cmp.benchmarks.map((b) => escapeHtml(b.benchmark)).sort(),
        'expected exactly the comparison\'s benchmarks as forest rows, each once',
      );
    });
  });

  test('insufficient-data rows have no interval line; every other row has exactly one', { timeout: 10_000 }, () => {
    let insufficient = 0;
    for (const section of comparisonSections(page)) {
      for (const row of forestRows(section)) {
        const lines = row.body.match(/class="ci"/g)?.length ?? 0;
        if (row.verdict === 'insufficient_data') {
          insufficient++;
          assert.equal(lines, 0, `expected no interval line in the insufficient row ${row.benchmark}`);
          assert.match(row.body, /insufficient data/, `expected the insufficient row ${row.benchmark} to say so`);
        } else {
          assert.equal(lines, 1, `expected one interval line in row ${row.benchmark}, found ${lines}`);
        }
      }
    }
    assert.ok(insufficient >= 2, `expected the fixture's insufficient rows in the plots, found ${insufficient}`);
  });

  test('nothing refers to anything outside the page', { timeout: 10_000 }, () => {
    for (const pattern of [/https?:\/\//i, /<script/i, /<link/i, /<img/i, /<iframe/i, /\ssrc=/i, /url\(/i, /@import/i]) {
      assert.doesNotMatch(page, pattern, `expected no ${pattern} in a self-contained page`);
    }
  });

  test('the markup is well formed: strict tags that nest and close, every <svg> closed', { timeout: 10_000 }, () => {
    assert.ok(page.startsWith('<!DOCTYPE html>\n<html lang="en">'), 'expected an HTML5 document');
    assert.equal(page.match(/<svg\b/g)?.length, page.match(/<\/svg>/g)?.length, 'expected every <svg> to be closed');
    assert.deepEqual(markupProblems(page), [], 'expected no markup problems');
  });

  test('every chart has explicit width, height and a matching viewBox', { timeout: 10_000 }, () => {
    const charts = [...page.matchAll(/<svg class="chart[^"]*" width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)" viewBox="0 0 ([\d.]+) ([\d.]+)"/g)];
    assert.equal(charts.length, page.match(/<svg\b/g)?.length, 'expected every <svg> to be a chart with width, height and viewBox');
    assert.equal(charts.length, expectedCharts(report), 'expected a forest plot per comparison, one heatmap, a chart per curve, per dose–response row and per persistence curve');
    for (const [, w, h, vw, vh] of charts) {
      assert.ok(Number(w) > 0 && Number(h) > 0, `expected a positive size, got ${w}×${h}`);
      assert.equal(`${w} ${h}`, `${vw} ${vh}`, 'expected the viewBox to match width and height');
    }
  });

  test('the headline states Holm, BH and unadjusted counts, and what the intervals cover', { timeout: 10_000 }, () => {
    const h = report.comparisons[0]!.headline;
    const text = comparisonSections(page)[0]!.replace(/<[^>]+>/g, '');
    const expected = `${h.holm.improved} of ${h.holm.total} benchmarks improved (Holm), ${h.holm.regressed} regressed; BH: ${h.bh.improved} improved, ${h.bh.regressed} regressed; unadjusted: ${h.unadjusted.improved} improved, ${h.unadjusted.regressed} regressed`;
    assert.ok(text.includes(expected), `expected the headline "${expected}"`);
    assert.match(text, /Intervals cover both seed-to-seed variation and item sampling/, 'expected the coverage of seed-level intervals');
    const items = renderReportHtml(fixtureReport({ seedsPerArm: 1 }));
    for (const section of comparisonSections(items)) {
      assert.match(section, /Intervals cover item sampling only — seed-to-seed variation is not in them/, 'expected the items-only statement in each headline');
    }
  });

  test('the random-effects summary shows its interval, or its insufficient-data detail', { timeout: 10_000 }, () => {
    const re = report.comparisons[0]!.randomEffects;
    assert.equal(re.kind, 'summary');
    if (re.kind === 'summary') assert.ok(page.includes(interval(re.ciLow, re.ciHigh)), `expected the pooled interval ${interval(re.ciLow, re.ciHigh)}`);
    const thin = fixtureReport();
    thin.comparisons[1]!.randomEffects = { kind: 'insufficient_data', detail: 'only 1 standardised effect; pooling needs at least 2' };
    assert.match(renderReportHtml(thin), /Insufficient data<\/p><p class="small">only 1 standardised effect; pooling needs at least 2/, 'expected the detail shown');
  });
});

describe('banners', { timeout: 30_000 }, () => {
  test('a simulated report carries the SIMULATED banner at the top, in the footer and on printed pages', { timeout: 10_000 }, () => {
    const page = renderReportHtml(fixtureReport());
    const body = page.slice(page.indexOf('<body>'));
    assert.ok(body.indexOf(SIMULATED_BANNER) < body.indexOf('<h1>'), 'expected the banner above the title');
    assert.match(body.slice(body.indexOf('<footer>')), new RegExp(SIMULATED_BANNER), 'expected the banner in the footer');
    assert.ok(page.includes(`@top-center { content: ${cssString(SIMULATED_BANNER)}`), 'expected the banner in the printed page header');
  });

  test('a model label is shown like the SIMULATED banner; a real, unlabelled run has none', { timeout: 10_000 }, () => {
    const labelled = renderReportHtml(Report.parse({ ...fixtureReport(), simulated: false, modelLabel: 'tiny random model: proves the plumbing, not the science' }));
    const body = labelled.slice(labelled.indexOf('<body>'));
    assert.equal(body.match(/MODEL: tiny random model: proves the plumbing, not the science/g)?.length, 2, 'expected the model banner at the top and in the footer');
    assert.match(labelled, /@top-center \{ content: "MODEL: tiny random model: proves the plumbing, not the science"/, 'expected the model banner in the printed page header');
    assert.doesNotMatch(labelled, /SIMULATED reference/, 'expected no SIMULATED banner when not simulated');
    const plain = renderReportHtml(Report.parse({ ...fixtureReport(), simulated: false }));
    assert.doesNotMatch(plain, /class="banner/, 'expected no banner for a real run without a model label');
    assert.doesNotMatch(plain, /@top-center/, 'expected no printed page header without a banner');
  });
});

describe('escaping', { timeout: 30_000 }, () => {
  test('hostile names, labels, ids and notes come out as text, never as markup', { timeout: 10_000 }, () => {
    const page = renderReportHtml(hostileReport());
    assert.doesNotMatch(page, /<script/i, 'expected no <script> element');
    assert.doesNotMatch(page, /<img/i, 'expected no <img> element');
    assert.equal(page.match(/<\/style>/g)?.length, 1, 'expected the hostile </style> not to end the style sheet');
    assert.equal(page.match(/<svg\b/g)?.length, page.match(/<\/svg>/g)?.length, 'expected the hostile </svg> not to close a chart');
    assert.deepEqual(markupProblems(page), [], 'expected no attribute break-out or broken nesting');
    assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;&#39; onmouseover=&#39;alert(3)&#39; &amp;amp; &amp;'), 'expected the hostile text escaped');
    assert.ok(page.includes('data-benchmark="bench &lt;script&gt;'), 'expected the hostile benchmark id escaped in attributes');
    assert.doesNotMatch(page, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202e]/, 'expected no control or bidi-override characters');
    assert.ok(page.includes('\uFFFDnul'), 'expected NUL shown as U+FFFD');
  });

  test('escapeHtml and cssString', { timeout: 10_000 }, () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    assert.equal(escapeHtml('a\u0000b\u001bc\u202ed\ud800e'), 'a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
    assert.equal(escapeHtml('tab\tand\nnewline'), 'tab\tand\nnewline');
    assert.equal(cssString('a"b\\c</style>'), '"a\\000022b\\00005cc\\00003c\\00002fstyle\\00003e"');
  });
});

describe('number formats', { timeout: 10_000 }, () => {
  test('missing numbers read "—"; signs and small bounds survive rounding', { timeout: 5_000 }, () => {
    assert.equal(signed(null), MISSING);
    assert.equal(interval(null, 0.1), MISSING);
    assert.equal(signed(0.00026), '+0.00026');
    assert.equal(signed(-0.00007), '-0.000070');
    assert.equal(signed(-0.0000001, 3), '-1.0e-7');
    assert.equal(signed(-0.0001 * 0), '0.000');
    assert.equal(interval(-0.0123, 0.0456), '[-0.012, +0.046]');
    assert.equal(pValue(0.00012), '0.00012');
    assert.equal(pValue(0.00001), '<0.0001');
    assert.equal(pValue(0.5), '0.50');
    assert.equal(count(31_457_280), '31,457,280');
    assert.equal(count(-1234), '-1,234');
  });
});

describe('dose–response, selective persistence and reuse on the page', { timeout: 30_000 }, () => {
  const report = fixtureReport();
  const page = renderReportHtml(report);
  const svgs = (cls: string) => [...page.matchAll(new RegExp(`<svg class="chart ${cls}"[\\s\\S]*?</svg>`, 'g'))].map((m) => m[0]);

  test('one dose–response plot per benchmark: a point and whisker per arm with an estimate, the fitted line and its band', { timeout: 10_000 }, () => {
    const dose = report.doseResponse!;
    const plots = svgs('dose-response');
    assert.equal(plots.length, dose.benchmarks.length, 'expected a plot per dose–response row');
    for (const row of dose.benchmarks) {
      const plot = plots.find((p) => p.includes(`data-benchmark="${escapeHtml(row.benchmark)}"`));
      assert.ok(plot, `expected a plot for ${row.benchmark}`);
      const estimated = row.points.filter((p) => p.delta !== null).length;
      assert.equal(plot.match(/class="dose-point"/g)?.length ?? 0, estimated, `expected ${estimated} .dose-point in ${row.benchmark}`);
      assert.equal(plot.match(/class="dose-whisker"/g)?.length ?? 0, estimated, `expected ${estimated} .dose-whisker in ${row.benchmark}`);
      assert.equal(plot.match(/class="dose-fit"/g)?.length, 1, 'expected one fitted line');
      assert.equal(plot.match(/class="dose-band"/g)?.length, 1, 'expected one band');
      assert.ok(plot.includes(interval(row.slope.ciLow, row.slope.ciHigh, 4)), 'expected the trend interval in the plot');
    }
    assert.match(page, /<a href="#dose-response">Dose–response<\/a>/);
  });

  test('persistence: harm, steering and pressure curves per stressed comparison, both arms, a point per level; the two parts on one row', { timeout: 10_000 }, () => {
    const section = report.persistence!;
    const curves = svgs('persistence-curve');
    const expected = section.comparisons.reduce((n, c) => n + 2 * c.attacks.length + (c.pressure === null ? 0 : 1), 0);
    assert.equal(curves.length, expected);
    for (const chart of curves) {
      const series = [...chart.matchAll(/<g class="persistence-series" data-role="(treatment|control)"[\s\S]*?<\/g>/g)];
      assert.deepEqual(series.map((s) => s[1]).sort(), ['control', 'treatment'], 'expected a series per arm');
      const kind = /data-kind="([^"]+)"/.exec(chart)![1]!;
      const points = kind === 'pressure-harm' ? section.comparisons[0]!.pressure!.levels.length : section.comparisons[0]!.attacks[0]!.steps.length;
      for (const s of series) assert.equal((s[0].match(/class="persistence-point"/g) ?? []).length, points, `expected ${points} points in ${kind}`);
      assert.ok(chart.includes('class="persistence-band"'), 'expected CI bands');
    }
    const table = /<table class="selective-persistence">[\s\S]*?<\/table>/.exec(page)![0];
    const attack = section.comparisons[0]!.attacks[0]!;
    const row = new RegExp(`<tr data-stress="${attack.attack}">[\\s\\S]*?</tr>`).exec(table)![0];
    assert.ok(row.includes(signed(attack.persistence.area.estimate)) && row.includes(signed(attack.steerability.mean.estimate)), 'expected persistence and steerability side by side');
    assert.match(row, /class="persistence-verdict (improved|unchanged|worse)"/);
    assert.match(row, /class="ni (non_inferior|inconclusive|inferior)"/);
    assert.match(page, /<a href="#persistence">Selective persistence<\/a>/);
  });

  test('a missing attack step shows as × and as insufficient data, not as a broken page', { timeout: 10_000 }, () => {
    const thin = fixtureReport();
    const attack = thin.persistence!.comparisons[0]!.attacks[0]!;
    const gap = attack.harm.control[2]!;
    Object.assign(gap, { estimate: null, se: null, df: null, ciLow: null, ciHigh: null, insufficientReason: 'not_evaluated', insufficientDetail: 'no results from baseline.r1 at step 20' });
    Object.assign(attack.persistence, { verdict: 'insufficient_data', area: { ...attack.persistence.area, estimate: null, ciLow: null, ciHigh: null, insufficientReason: 'not_evaluated', insufficientDetail: 'no results from baseline.r1 at step 20' } });
    const markup = renderReportHtml(Report.parse(thin));
    assert.deepEqual(markupProblems(markup), []);
    assert.match(markup, /class="persistence-missing"/);
    assert.match(markup, /class="persistence-verdict insufficient_data">insufficient data/);
    assert.match(markup, /not evaluated: no results from baseline.r1 at step 20/);
  });

  test('reused runs are listed with where they came from; a report without the new sections renders as before', { timeout: 10_000 }, () => {
    const reused = report.arms.flatMap((a) => a.replicates.filter((r) => r.reusedFrom !== undefined));
    assert.ok(reused.length > 0);
    for (const r of reused) assert.ok(page.includes(`<li data-run="${r.run}"><strong>${r.run}</strong> from experiment ${escapeHtml(r.reusedFrom!.experimentName)}`), `expected ${r.run} listed as reused`);
    const older = renderReportHtml(fixtureReport({ sections: false }));
    assert.doesNotMatch(older.replace(/<style>[\s\S]*?<\/style>/, ''), /dose-response|persistence-curve|reuse-note|href="#persistence"/);
    assert.deepEqual(markupProblems(older), []);
  });
});
