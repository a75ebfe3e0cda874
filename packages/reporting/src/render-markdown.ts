import type { BenchmarkComparison, ComparisonReport, Report } from '@ballast/schema';
import { comparisonTitle, formatInterval, formatNumber, formatSigned, headline, SIMULATED_WARNING, VERDICT_LABEL } from './format.js';

/** The report as a Markdown document for researchers: a banner if simulated, then one section per comparison. */
export function renderReportMarkdown(report: Report): string {
  const out: string[] = [`# Report: ${report.experimentName}`, ''];
  if (report.simulated) out.push(`> **⚠ ${SIMULATED_WARNING}**`, '');
  out.push(
    `Experiment \`${report.experimentId}\` · spec \`${report.specHash}\``,
    '',
    `Method: ${report.method.interval}; confidence ${Math.round(report.method.confidence * 100)}%; ` +
      `multiple comparisons: ${report.method.multipleComparisons}. Δ is oriented so that positive is better ` +
      '(lower-is-better metrics, marked ↓, are negated); control and treatment columns are raw means.',
    '',
  );
  if (report.arms.length > 0) {
    out.push('## Arms and their data', '', table(['arm', 'mix', 'records', 'components', 'final checkpoint'], report.arms.map((a) => [
      escapeText(a.name),
      a.mixId ? `\`${a.mixId}\`` : '—',
      a.mixRecords === null ? '—' : String(a.mixRecords),
      a.mixComponents.map((c) => `${escapeText(c.name)} ${c.selected}`).join(', ') || '—',
      `\`${a.checkpoint}\``,
    ]), ['left', 'left', 'right', 'left', 'left']), '');
    for (const a of report.arms) if (a.mixManifest) out.push(`- ${escapeText(a.name)} manifest: ${a.mixManifest}`);
    out.push('');
  }
  if (report.comparisons.length === 0) out.push('_No comparisons in this experiment._', '');
  for (const cmp of report.comparisons) out.push(...renderComparison(cmp));
  return `${out.join('\n').trimEnd()}\n`;
}

function renderComparison(cmp: ComparisonReport): string[] {
  const t = cmp.totals;
  return [
    `## ${escapeText(comparisonTitle(cmp))}`,
    '',
    `${cmp.computeMatch.matched ? '✓' : '⚠'} ${escapeText(cmp.computeMatch.note)}`,
    '',
    `Checkpoints: treatment \`${cmp.treatmentCheckpoint}\`, control \`${cmp.controlCheckpoint}\``,
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
    formatSigned(b.delta),
    formatInterval(b.ciLow, b.ciHigh),
    verdict,
    b.outOfDomain ? 'OOD' : '',
  ];
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

function escapeText(s: string): string {
  return s.replace(/([\\`*_[\]<>])/g, '\\$1');
}
