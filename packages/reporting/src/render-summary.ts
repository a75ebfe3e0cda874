import { terminalText } from '@ballast/config';
import type { Report } from '@ballast/schema';
import { checkpointStepOf, comparisonTitle, formatDifference, formatInterval, headline, modelWarning, SIMULATED_WARNING, VERDICT_LABEL } from './format.js';

/**
 * A short plain-text summary for a terminal: the experiment's description and labels, each arm's seed,
 * data and compared checkpoint, then per comparison the headline, the per-category table and the
 * benchmarks that changed. Text from the spec or the data is shown escaped (it may hold control characters).
 */
export function renderReportSummary(report: Report): string {
  const t = terminalText;
  const out: string[] = [];
  if (report.simulated) out.push(`!! ${SIMULATED_WARNING}`, '');
  if (report.modelLabel) out.push(`!! ${modelWarning(report.modelLabel)}`, '');
  out.push(`${t(report.experimentName)} (${t(report.experimentId)})`);
  if (report.description) out.push(`  ${t(report.description)}`);
  const labels = Object.entries(report.labels ?? {});
  if (labels.length > 0) out.push(`  labels: ${labels.map(([k, v]) => `${t(k)}=${t(v)}`).join(', ')}`);
  if (report.samplesPerItem !== undefined) out.push(`  evaluation: ${report.samplesPerItem} samples per item`);
  for (const a of report.arms) {
    const seed = a.seed === undefined ? '' : `seed ${a.seed}, `;
    const step = a.checkpointStep === undefined ? '' : ` (step ${a.checkpointStep})`;
    out.push(`  arm ${t(a.name)}: ${seed}checkpoint ${t(a.checkpoint)}${step}`);
    if (a.mixId) out.push(`    mix ${t(a.mixId)} (${a.mixComponents.map((c) => `${t(c.name)} ${c.selected}`).join(', ')}) → ${t(a.mixManifest ?? '')}`);
  }
  if (report.comparisons.length === 0) out.push('no comparisons');
  for (const cmp of report.comparisons) {
    const totals = cmp.totals;
    const stepOf = (arm: string) => {
      const step = checkpointStepOf(report, arm);
      return step === undefined ? '' : ` at step ${step}`;
    };
    out.push(
      '',
      `${t(comparisonTitle(cmp))}: ${headline(cmp)}; ${totals.regressed} regressed, ${totals.noChange} no change`,
      `  compared ${t(cmp.treatment)}${stepOf(cmp.treatment)} with ${t(cmp.control)}${stepOf(cmp.control)}`,
      `${cmp.computeMatch.matched ? '' : 'WARNING '}${t(cmp.computeMatch.note)}`,
      '',
      ...columns([
        ['category', 'improved', 'no change', 'regressed', 'total'],
        ...cmp.byCategory.map((c) => [c.category, c.improved, c.noChange, c.regressed, c.total].map(String)),
        ['total', ...[totals.improved, totals.noChange, totals.regressed, totals.total].map(String)],
      ]),
    );
    const changed = cmp.benchmarks.filter((b) => b.verdict !== 'no_change');
    if (changed.length > 0) {
      out.push(
        '',
        ...columns([
          ['benchmark', 'verdict', 'Δ', '95% CI'],
          ...changed.map((b) => [t(b.benchmark), VERDICT_LABEL[b.verdict], formatDifference(b.delta), formatInterval(b.ciLow, b.ciHigh)]),
        ]),
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/** Pads a grid into aligned columns: first column left-aligned, the rest right-aligned. */
function columns(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
