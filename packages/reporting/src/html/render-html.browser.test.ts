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
      const curves = report.comparisons.reduce((n, c) => n + c.curves.length, 0);
      assert.equal(sizes.length, report.comparisons.length + 1 + curves, 'expected a forest plot per comparison, one heatmap and a chart per curve');
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
