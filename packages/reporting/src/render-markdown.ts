import { terminalText } from '@ballast/config';
import type { BenchmarkComparison, ComparisonReport, Report } from '@ballast/schema';
import { checkpointStepOf, comparisonTitle, formatDifference, formatInterval, formatNumber, headline, modelWarning, SIMULATED_WARNING, VERDICT_LABEL } from './format.js';

/** The report as a Markdown document for researchers: a banner if simulated, then one section per comparison. */
export function renderReportMarkdown(report: Report): string {
  const out: string[] = [`# Report: ${report.experimentName}`, ''];
  if (report.simulated) out.push(`> **⚠ ${SIMULATED_WARNING}**`, '');
  if (report.modelLabel) out.push(`> **⚠ ${modelWarning(report.modelLabel)}**`, '');
  out.push(`Experiment \`${report.experimentId}\` · spec \`${report.specHash}\``, '');
  if (report.description) out.push(escapeText(report.description), '');
  const labels = Object.entries(report.labels ?? {});
  if (labels.length > 0) out.push(`Labels: ${labels.map(([k, v]) => `${escapeText(k)}=${escapeText(v)}`).join(', ')}`, '');
  out.push(
    `Method: ${report.method.interval}; confidence ${Math.round(report.method.confidence * 100)}%; ` +
      `multiple comparisons: ${report.method.multipleComparisons}` +
      `${report.samplesPerItem === undefined ? '' : `; ${report.samplesPerItem} samples per item`}. Δ is oriented so that positive is better ` +
      '(lower-is-better metrics, marked ↓, are negated); control and treatment columns are raw means. ' +
      'CI bounds that would round to zero are printed with two significant figures.',
    '',
  );
  if (report.arms.length > 0) {
    out.push('## Arms and their data', '', table(['arm', 'seed', 'mix', 'records', 'components', 'checkpoint compared'], report.arms.map((a) => [
      escapeText(a.name),
      a.seed === undefined ? '—' : String(a.seed),
      a.mixId ? `\`${a.mixId}\`` : '—',
      a.mixRecords === null ? '—' : String(a.mixRecords),
      a.mixComponents.map((c) => `${escapeText(c.name)} ${c.selected}`).join(', ') || '—',
      checkpointCell(a.checkpoint, a.checkpointStep),
    ]), ['left', 'right', 'left', 'right', 'left', 'left']), '');
    for (const a of report.arms) if (a.mixManifest) out.push(`- ${escapeText(a.name)} manifest: ${escapeText(a.mixManifest)}`);
    out.push('');
  }
  if (report.comparisons.length === 0) out.push('_No comparisons in this experiment._', '');
  for (const cmp of report.comparisons) out.push(...renderComparison(cmp, report));
  return `${out.join('\n').trimEnd()}\n`;
}

function renderComparison(cmp: ComparisonReport, report: Report): string[] {
  const t = cmp.totals;
  return [
    `## ${escapeText(comparisonTitle(cmp))}`,
    '',
    `${cmp.computeMatch.matched ? '✓' : '⚠'} ${escapeText(cmp.computeMatch.note)}`,
    '',
    `Checkpoints: treatment ${checkpointCell(cmp.treatmentCheckpoint, checkpointStepOf(report, cmp.treatment))}, ` +
      `control ${checkpointCell(cmp.controlCheckpoint, checkpointStepOf(report, cmp.control))}`,
    '',
    `**${headline(cmp)}**; ${t.regressed} regressed, ${t.noChange} no change.`,
    '',
    '### By category',
    '',
    table(
      ['category', 'improved', 'no change', 'regressed', 'total'],
      [
        ...cmp.byCategory.map((c) => [c.category, c.improved, c.noChange, c.regressed, c.total].map(String)),
        ['**total**', ...[t.improved, t.noChange, t.regressed, t.total].map((n) => `**${n}**`)],
      ],
      ['left', 'right', 'right', 'right', 'right'],
    ),
    '',
    '### By benchmark',
    '',
    cmp.benchmarks.length === 0
      ? '_No benchmark was evaluated on both arms._'
      : table(
          ['benchmark', 'category', 'n', 'control', 'treatment', 'Δ', '95% CI', 'verdict', 'OOD'],
          cmp.benchmarks.map(benchmarkRow),
          ['left', 'left', 'right', 'right', 'right', 'right', 'left', 'left', 'left'],
        ),
    '',
    'OOD: the benchmark covers no domain present in the training data.',
    '',
  ];
}

function benchmarkRow(b: BenchmarkComparison): string[] {
  const arrow = b.direction === 'lower_is_better' ? ' ↓' : '';
  const verdict = b.verdict === 'no_change' ? VERDICT_LABEL[b.verdict] : `**${VERDICT_LABEL[b.verdict]}**`;
  return [
    `${b.benchmark} (${b.metric}${arrow})`,
    b.category,
    String(b.n),
    formatNumber(b.controlMean),
    formatNumber(b.treatmentMean),
    formatDifference(b.delta),
    formatInterval(b.ciLow, b.ciHigh),
    verdict,
    b.outOfDomain ? 'OOD' : '',
  ];
}

function checkpointCell(hash: string, step: number | undefined): string {
  return `\`${terminalText(hash).replace(/`/g, "'")}\`${step === undefined ? '' : ` (step ${step})`}`;
}

type Align = 'left' | 'right';

function table(header: string[], rows: string[][], align: Align[]): string {
  const line = (cells: string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  const rule = `|${align.map((a) => (a === 'right' ? '---:' : ':---')).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Data as inert Markdown on one line: controls and line breaks shown escaped, markup characters escaped. */
function escapeText(s: string): string {
  return terminalText(s).replace(/([\\`*_[\]<>#])/g, '\\$1');
}
