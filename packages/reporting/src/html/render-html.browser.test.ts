// The rendered fixture in a real headless Chromium (Debian's `chromium`, driven by puppeteer-core over a
// pipe, so nothing listens on a port): it loads from a file with no console errors, no failed or external
// requests, charts with real size, one forest row per benchmark and a visible SIMULATED banner. Leaves a
// full-page screenshot at packages/reporting/test-output/report-html.png for a person to look at.
import assert from 'node:assert/strict';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { Report } from '@ballast/schema';
import { SIMULATED_BANNER } from './banner.js';
import { fixtureReport } from './fixture-report.js';
import { expectedCharts } from './fixture-sections.js';
import { renderReportHtml } from './render-html.js';

const SCREENSHOT = fileURLToPath(new URL('../../test-output/report-html.png', import.meta.url));

/** The `chromium` on PATH; fails (never skips) when there is none, saying how to get it. */
function chromiumOnPath(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'chromium');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  assert.fail('no `chromium` on PATH: run `apt-get install chromium` (npm test installs it on first use, scripts/system-packages.mjs)');
}

/** A fresh browser and temp dir for `use`; both are gone afterwards, whatever happens. */
async function withBrowser<T>(use: (browser: Browser, dir: string) => Promise<T>): Promise<T> {
  const executablePath = chromiumOnPath();
  const dir = mkdtempSync(join(tmpdir(), 'ballast-report-html-'));
  let browser: Browser | undefined;
  try {
    browser = await puppeteer.launch({
      executablePath,
      pipe: true,
      headless: true,
      // Chromium's sandbox refuses to run as root; anyone else keeps it.
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
      userDataDir: join(dir, 'profile'),
      timeout: 30_000,
    });
    return await use(browser, dir);
  } finally {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface PageProblems {
  console: string[];
  errors: string[];
  failed: string[];
  requests: string[];
}

/** Writes `page` into `dir`, opens it by file:// and records everything that went wrong while loading. */
async function open(browser: Browser, dir: string, html: string): Promise<{ page: Page; url: string; problems: PageProblems }> {
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const page = await browser.newPage();
  const problems: PageProblems = { console: [], errors: [], failed: [], requests: [] };
  page.on('console', (message) => {
    if (['error', 'warn', 'warning'].includes(message.type())) problems.console.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.errors.push(String(error)));
  page.on('requestfailed', (request) => problems.failed.push(`${request.url()}: ${request.failure()?.errorText ?? 'failed'}`));
  page.on('request', (request) => problems.requests.push(request.url()));
  page.on('dialog', (dialog) => {
    problems.errors.push(`dialog opened: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.setViewport({ width: 1280, height: 900, deviceScaleFactor: 1 });
  await page.goto(url, { waitUntil: 'load', timeout: 20_000 });
  return { page, url, problems };
}

describe('the HTML report in headless Chromium', { timeout: 120_000 }, () => {
  test('the fixture renders cleanly: charts sized, one forest row per benchmark, banner visible', { timeout: 60_000 }, async (t: TestContext) => {
    const report = fixtureReport();
    await withBrowser(async (browser, dir) => {
      const { page, url, problems } = await open(browser, dir, renderReportHtml(report));

      assert.deepEqual(problems.console, [], 'expected no console errors or warnings');
      assert.deepEqual(problems.errors, [], 'expected no page errors');
      assert.deepEqual(problems.failed, [], 'expected no failed requests');
      assert.deepEqual(problems.requests, [url], 'expected the page itself to be the only request');

      const sizes = await page.$$eval('svg', (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          return { label: svg.getAttribute('aria-label') ?? svg.getAttribute('class') ?? 'svg', width: box.width, height: box.height, chart: svg.classList.contains('chart') };
        }),
      );
      assert.equal(sizes.length, expectedCharts(report), 'expected a forest plot per comparison, one heatmap, a chart per curve, per dose–response row and per persistence curve');
      assert.deepEqual(sizes.filter((s) => !s.chart).map((s) => s.label), [], 'expected every svg to be an svg.chart');
      assert.deepEqual(sizes.filter((s) => !(s.width > 0 && s.height > 0)).map((s) => s.label), [], 'expected every chart to have a non-zero bounding box');

      const forests = await page.$$eval('section.comparison', (sections) =>
        sections.map((section) => ({
          treatment: section.getAttribute('data-treatment'),
          control: section.getAttribute('data-control'),
          plots: section.querySelectorAll('svg.forest-plot').length,
          rows: [...section.querySelectorAll('svg.forest-plot .forest-row')].map((row) => row.getAttribute('data-benchmark')),
        })),
      );
      assert.equal(forests.length, report.comparisons.length, 'expected one section per comparison');
      forests.forEach((forest, i) => {
        const cmp = report.comparisons[i]!;
        assert.equal(`${forest.treatment} vs ${forest.control}`, `${cmp.treatment} vs ${cmp.control}`, 'expected the sections in the report\'s order');
        assert.equal(forest.plots, 1, `expected one forest plot in ${cmp.treatment} vs ${cmp.control}`);
        assert.equal(forest.rows.length, cmp.benchmarks.length, `expected ${cmp.benchmarks.length} .forest-row in ${cmp.treatment} vs ${cmp.control}, found ${forest.rows.length}`);
        assert.deepEqual([...forest.rows].sort(), cmp.benchmarks.map((b) => b.benchmark).sort(), 'expected each benchmark exactly once');
      });

      // Dose–response: a plot per row, a visible point per arm with an estimate, a fitted line and its band.
      const dose = await page.$$eval('svg.dose-response', (plots) =>
        plots.map((plot) => ({
          benchmark: plot.getAttribute('data-benchmark'),
          points: [...plot.querySelectorAll('.dose-point')].filter((p) => p.getBoundingClientRect().width > 0).length,
          whiskers: plot.querySelectorAll('.dose-whisker').length,
          fit: plot.querySelectorAll('.dose-fit').length,
          band: [...plot.querySelectorAll('.dose-band')].filter((b) => b.getBoundingClientRect().height > 0).length,
        })),
      );
      const doseRows = report.doseResponse!.benchmarks;
      assert.equal(dose.length, doseRows.length, `expected ${doseRows.length} svg.dose-response`);
      dose.forEach((plot) => {
        const row = doseRows.find((r) => r.benchmark === plot.benchmark)!;
        const estimated = row.points.filter((p) => p.delta !== null).length;
        assert.deepEqual({ points: plot.points, whiskers: plot.whiskers, fit: plot.fit, band: plot.band }, { points: estimated, whiskers: estimated, fit: 1, band: 1 }, `dose–response plot of ${plot.benchmark}`);
      });

      // Persistence: per chart, a series per arm with a visible point per attack step or pressure level, and CI bands.
      const persistence = await page.$$eval('svg.persistence-curve', (charts) =>
        charts.map((chart) => ({
          kind: chart.getAttribute('data-kind'),
          series: [...chart.querySelectorAll('.persistence-series')].map((s) => ({
            role: s.getAttribute('data-role'),
            points: [...s.querySelectorAll('.persistence-point')].filter((p) => p.getBoundingClientRect().width > 0).length,
            bands: s.querySelectorAll('.persistence-band').length,
          })),
        })),
      );
      const stressed = report.persistence!.comparisons;
      assert.equal(persistence.length, stressed.reduce((n, c) => n + 2 * c.attacks.length + (c.pressure === null ? 0 : 1), 0), 'expected harm and steering charts per attack and a pressure chart');
      for (const chart of persistence) {
        const levels = chart.kind === 'pressure-harm' ? stressed[0]!.pressure!.levels.length : stressed[0]!.attacks[0]!.steps.length;
        assert.deepEqual(chart.series.map((s) => s.role).sort(), ['control', 'treatment'], `expected both arms in the ${chart.kind} chart`);
        for (const s of chart.series) assert.deepEqual({ points: s.points, banded: s.bands > 0 }, { points: levels, banded: true }, `${chart.kind}, ${s.role}`);
      }
      const parts = await page.$$eval('table.selective-persistence tbody tr', (rows) => rows.map((r) => r.querySelectorAll('td').length));
      assert.ok(parts.length > 0 && parts.every((cells) => cells === 4), 'expected both parts of selective persistence side by side on every row');
      const reused = await page.$$eval('ul.reused-runs li', (items) => items.map((li) => li.getAttribute('data-run')));
      assert.deepEqual(reused, report.arms.flatMap((a) => a.replicates.filter((r) => r.reusedFrom !== undefined).map((r) => r.run)), 'expected the reused runs listed');

      const banner = await page.$eval('.banner-top', (element) => {
        const box = element.getBoundingClientRect();
        const style = element.ownerDocument.defaultView!.getComputedStyle(element);
        return { text: element.textContent ?? '', top: box.top, width: box.width, height: box.height, visible: style.visibility === 'visible' && style.display !== 'none' && Number(style.opacity) > 0 };
      });
      assert.ok(banner.text.includes(SIMULATED_BANNER), `expected the SIMULATED banner text, got ${JSON.stringify(banner.text)}`);
      assert.ok(banner.visible && banner.width > 0 && banner.height > 0, 'expected the SIMULATED banner to be visible');
      assert.ok(banner.top >= 0 && banner.top + banner.height <= 900, `expected the banner in the first screen, at ${banner.top}px`);

      mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT as `${string}.png`, fullPage: true });
      t.diagnostic(`screenshot: ${SCREENSHOT}`);
    });
  });

  test('hostile strings stay text in the browser: no script runs, the name reads as given', { timeout: 60_000 }, async () => {
    const name = `<script>alert(1)</script>"><img src=x onerror=alert(2)> & co`;
    const report = Report.parse({ ...fixtureReport(), experimentName: name, modelLabel: `</style><script>alert(3)</script>` });
    await withBrowser(async (browser, dir) => {
      const { page, problems } = await open(browser, dir, renderReportHtml(report));
      assert.deepEqual(problems.errors, [], 'expected no page errors and no dialogs');
      // Through an element: this package compiles without the DOM globals.
      const seen = await page.$eval('html', (root) => ({
        scripts: root.ownerDocument.scripts.length,
        images: root.ownerDocument.images.length,
        heading: root.querySelector('h1')?.textContent ?? null,
        styles: root.querySelectorAll('style').length,
      }));
      assert.deepEqual(seen, { scripts: 0, images: 0, heading: name, styles: 1 }, 'expected the hostile name as plain text and nothing injected');
    });
  });
});
