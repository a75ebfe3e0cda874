import type { BenchmarkComparison, ComparisonReport, GeneralisationRow, Report } from '@ballast/schema';
import {
  comparisonTitle,
  confidenceLabel,
  formatDifference,
  formatInterval,
  formatNumber,
  formatOptional,
  formatP,
  headline,
  modelWarning,
  NI_LABEL,
  randomEffectsLine,
  SIMULATED_WARNING,
  VERDICT_LABEL,
} from './format.js';
import { doseResponseMarkdown } from './markdown/dose-response.js';
import { persistenceMarkdown } from './markdown/persistence.js';
import { code, escapeText, table } from './markdown/text.js';

/** The report as a Markdown document for researchers: banners, what was declared, then one section per comparison. */
export function renderReportMarkdown(report: Report): string {
  const banners: string[] = [];
  if (report.simulated) banners.push(`> **⚠ ${SIMULATED_WARNING}**`, '');
  if (report.modelLabel) banners.push(`> **⚠ ${modelWarning(escapeText(report.modelLabel))}**`, '');
  const pct = confidenceLabel(report.method.confidence);
  const out: string[] = [`# Report: ${escapeText(report.experimentName)}`, '', ...banners];
  out.push(`Experiment \`${code(report.experimentId)}\` · spec \`${code(report.specHash)}\``, '');
  if (report.description) out.push(escapeText(report.description), '');
  const labels = Object.entries(report.labels ?? {});
  if (labels.length > 0) out.push(`Labels: ${labels.map(([k, v]) => `${escapeText(k)}=${escapeText(v)}`).join(', ')}`, '');
  const pre = report.preregistration;
  const margins = Object.entries(pre.nonInferiorityMargins);
  out.push(
    pre.declared ? '## Declared before launch' : '## Analysis (defaults applied at report time: this experiment was launched before specs declared one)',
    '',
    `- α = ${pre.alpha} (family-wise, two-sided); ${pre.seedsPerArm} training seed${pre.seedsPerArm === 1 ? '' : 's'} per arm; interval with replicates: ${pre.interval}`,
    `- headline family: ${pre.headlineBenchmarks.length} benchmarks${pre.headlineCategories.length > 0 ? ` (categories: ${pre.headlineCategories.join(', ')})` : ''}`,
    `- primary metrics: ${pre.primaryMetrics.length === 0 ? 'every metric' : pre.primaryMetrics.map(escapeText).join(', ')}`,
    `- non-inferiority margins: ${margins.length === 0 ? 'none' : margins.map(([k, m]) => `${escapeText(k)} ${m}`).join(', ')}`,
    '',
    `Method: ${report.method.interval}; ${pct} intervals covering ${report.method.covers === 'items' ? '**item sampling only**' : 'seeds and items'}; ` +
      `${report.method.multipleComparisons}; pooling: ${report.method.pooling}` +
      `${report.samplesPerItem === undefined ? '' : `; ${report.samplesPerItem} samples per item`}. Δ is oriented so that positive is better ` +
      '(lower-is-better metrics, marked ↓, are negated); control and treatment columns are raw means. ' +
      'CI bounds that would round to zero are printed with two significant figures. Definitions: docs/statistics.md.',
    '',
  );
  out.push('## Arms and their data', '', table(['arm', 'run', 'seed', 'mix', 'records', 'tokens', 'checkpoint compared'], report.arms.flatMap((a) => a.replicates.map((r) => [
    escapeText(a.name),
    escapeText(r.run),
    String(r.seed),
    r.mixId ? `\`${code(r.mixId)}\`` : '—',
    String(r.recordsSeen),
    r.tokensSeen === null ? '—' : String(r.tokensSeen),
    `\`${code(r.checkpoint)}\` (step ${r.checkpointStep})`,
  ])), ['left', 'left', 'right', 'left', 'right', 'right', 'left']), '');
  for (const a of report.arms) {
    out.push(`- ${escapeText(a.name)} trait domains: ${a.trainedDomains.length === 0 ? 'none (no trait data)' : a.trainedDomains.map(escapeText).join(', ')}`);
  }
  out.push('');
  const reused = report.arms.flatMap((a) => a.replicates.flatMap((r) => (r.reusedFrom === undefined ? [] : [{ run: r.run, from: r.reusedFrom }])));
  if (reused.length > 0) {
    out.push(
      'Reused runs (checkpoints and evaluations taken from an identical run of an earlier experiment, not trained here):',
      '',
      ...reused.map(({ run, from }) => `- ${escapeText(run)}: from experiment ${escapeText(from.experimentName)} (\`${code(from.experimentId)}\`), run ${escapeText(from.run)}`),
      '',
    );
  }
  if (report.comparisons.length === 0) out.push('_No comparisons in this experiment._', '');
  for (const cmp of report.comparisons) out.push(...renderComparison(cmp, report));
  if (report.generalisation.length > 0) out.push(...renderGeneralisation(report.generalisation));
  if (report.doseResponse !== undefined) out.push(...doseResponseMarkdown(report.doseResponse, report.method.confidence));
  if (report.persistence !== undefined) out.push(...persistenceMarkdown(report.persistence, report.method.confidence));
  if (banners.length > 0) out.push('---', '', ...banners);
  return `${out.join('\n').trimEnd()}\n`;
}

function renderComparison(cmp: ComparisonReport, report: Report): string[] {
  const pct = confidenceLabel(report.method.confidence);
  const ni = cmp.benchmarks.filter((b) => b.nonInferiority !== null);
  return [
    `## ${escapeText(comparisonTitle(cmp))}`,
    '',
    `${cmp.computeMatch.matched && cmp.computeMatch.tokensMatched !== false ? '✓' : '⚠'} ${escapeText(cmp.computeMatch.note)}`,
    '',
    `**${headline(cmp)}.**`,
    '',
    `_${cmp.headline.coverageNote}._`,
    '',
    `${randomEffectsLine(cmp.randomEffects, report.method.confidence)}.`,
    '',
    '### By category',
    '',
    table(
      ['category', 'improved', 'no change', 'regressed', 'insufficient', 'total'],
      cmp.byCategory.map((c) => [c.category, c.improved, c.noChange, c.regressed, c.insufficient, c.total].map(String)),
      ['left', 'right', 'right', 'right', 'right', 'right'],
    ),
    '',
    'Counts use the Holm-adjusted verdicts for benchmarks in the headline family and unadjusted verdicts for the rest.',
    '',
    ...(ni.length === 0
      ? []
      : [
          '### Non-inferiority',
          '',
          table(
            ['benchmark', 'margin', 'Δ', `${Math.round((1 - 2 * (ni[0]?.nonInferiority?.alpha ?? 0.025)) * 100)}% bounds`, 'verdict'],
            ni.map((b) => [escapeText(b.benchmark), String(b.nonInferiority?.margin), formatOptional(b.delta), formatInterval(b.nonInferiority?.lower ?? null, b.nonInferiority?.upper ?? null), NI_LABEL[b.nonInferiority!.verdict]]),
            ['left', 'right', 'right', 'left', 'left'],
          ),
          '',
        ]),
    '### By benchmark',
    '',
    cmp.benchmarks.length === 0
      ? '_No benchmark was evaluated on both arms._'
      : table(
          ['benchmark', 'category', 'items', 'clusters', 'seeds', 'control', 'treatment', 'Δ', `${pct} CI`, 'SE', 'df', 'p', 'p (Holm)', 'p (BH)', 'verdict (Holm)', 'domain'],
          cmp.benchmarks.map(benchmarkRow),
          ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left', 'right', 'right', 'right', 'right', 'right', 'left', 'left'],
        ),
    '',
    'Domain: in = a benchmark domain is in the treatment arm\'s trait data; out = it has domains, none trained on; general = no domain. ' +
      'Benchmarks outside the headline family have no adjusted p-value and show their unadjusted verdict.',
    '',
    ...insufficientNotes(cmp.benchmarks),
  ];
}

function benchmarkRow(b: BenchmarkComparison): string[] {
  const arrow = b.direction === 'lower_is_better' ? ' ↓' : '';
  const v = b.inHeadlineFamily ? b.holmVerdict : b.verdict;
  const verdict = v === 'no_change' ? VERDICT_LABEL[v] : `**${VERDICT_LABEL[v]}**`;
  return [
    `${escapeText(b.benchmark)} (${escapeText(b.metric)}${arrow})${b.inHeadlineFamily ? '' : ' †'}`,
    b.category,
    String(b.items),
    b.clusters === null ? '—' : String(b.clusters),
    String(b.seeds),
    formatOptional(b.controlMean),
    formatOptional(b.treatmentMean),
    b.delta === null ? '—' : formatDifference(b.delta),
    formatInterval(b.ciLow, b.ciHigh),
    formatOptional(b.se, 4),
    b.df === null ? '—' : formatNumber(b.df, 0),
    formatP(b.pValue),
    formatP(b.pHolm),
    formatP(b.pBH),
    verdict,
    { in_domain: 'in', out_of_domain: 'out', general: 'general' }[b.domainRelation],
  ];
}

function insufficientNotes(rows: readonly BenchmarkComparison[]): string[] {
  const thin = rows.filter((b) => b.verdict === 'insufficient_data');
  if (thin.length === 0) return [];
  return ['Insufficient data (no interval, no verdict):', '', ...thin.map((b) => `- ${escapeText(b.benchmark)}: ${escapeText(b.insufficientDetail ?? b.insufficientReason ?? '')}`), ''];
}

function renderGeneralisation(rows: readonly GeneralisationRow[]): string[] {
  const out = ['## Generalisation', '', 'Training condition × evaluation group; out-of-domain is computed from each treatment arm\'s own trait data.', ''];
  for (const row of rows) {
    out.push(`### ${escapeText(row.treatment)} vs ${escapeText(row.control)} (trait domains: ${row.trainedDomains.length === 0 ? 'none' : row.trainedDomains.map(escapeText).join(', ')})`, '');
    for (const cell of row.cells) {
      const pooled = cell.pooled === null ? '' : `; pooled d_z ${formatDifference(cell.pooled.mean)} ${formatInterval(cell.pooled.ciLow, cell.pooled.ciHigh)}`;
      out.push(`- ${escapeText(cell.text)}${pooled}`);
    }
    out.push('');
  }
  return out;
}
