// The experiment report as one self-contained HTML5 document: inline CSS and SVG, no script, nothing fetched.
import type { Report } from '@ballast/schema';
import { armsSection } from './arms-section.js';
import { banner, bannerLines } from './banner.js';
import { comparisonSection } from './comparison-section.js';
import { curvesSection } from './curves-section.js';
import { doseResponseSection } from './dose-response-section.js';
import { html } from './escape.js';
import { confidenceLabel } from './format.js';
import { generalisationSection } from './generalisation-section.js';
import { headerSection, type TocEntry } from './header-section.js';
import { persistenceSection } from './persistence-section.js';
import { styleSheet } from './styles.js';

/**
 * The report as an HTML page for researchers: banners when simulated or the model labels itself, the
 * pre-registration and method, per comparison the headline, random-effects summary, compute match, a forest
 * plot and every number; the generalisation heatmap; the dose–response plots and selective-persistence curves
 * when the experiment has them; per-checkpoint curves and the arms' lineage, reused runs included.
 *
 * @example
 * await writeFile('report.html', renderReportHtml(Report.parse(json)));
 */
export function renderReportHtml(report: Report): string {
  const lines = bannerLines(report);
  const comparisons = report.comparisons.map((cmp, i) => ({ cmp, anchor: `comparison-${i + 1}` }));
  const toc: TocEntry[] = [
    ...comparisons.map(({ cmp, anchor }): TocEntry => [anchor, `${cmp.treatment} vs ${cmp.control}`]),
    ['generalisation', 'Generalisation'],
    ...(report.doseResponse === undefined ? [] : [['dose-response', 'Dose–response'] as TocEntry]),
    ...(report.persistence === undefined ? [] : [['persistence', 'Selective persistence'] as TocEntry]),
    ['curves', 'Per-checkpoint curves'],
    ['arms', 'Arms and replicates'],
  ];
  const title = lines.length > 0 ? `${report.experimentName} — report (${report.simulated ? 'SIMULATED' : 'MODEL LABELLED'})` : `${report.experimentName} — report`;
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ballast reporting">
<title>${title}</title>
${styleSheet(lines)}
</head>
<body>
<main>
${banner(report, 'top')}
${headerSection(report, toc)}
${comparisons.length === 0 ? html`<p class="muted">No comparisons in this experiment.</p>` : comparisons.map(({ cmp, anchor }) => comparisonSection(cmp, anchor, report.method.confidence))}
${generalisationSection(report.generalisation, 'generalisation', confidenceLabel(report.method.confidence))}
${doseResponseSection(report.doseResponse, 'dose-response', confidenceLabel(report.method.confidence))}
${persistenceSection(report.persistence, 'persistence', confidenceLabel(report.method.confidence))}
${curvesSection(report, 'curves')}
${armsSection(report.arms, 'arms')}
</main>
<footer>
${banner(report, 'footer')}
<p>Experiment <span class="mono">${report.experimentId}</span> · spec hash <span class="mono">${report.specHash}</span> · report schema v${String(report.schemaVersion)}. A self-contained page: nothing in it is fetched from anywhere.</p>
</footer>
</body>
</html>
`;
  return page.value;
}
