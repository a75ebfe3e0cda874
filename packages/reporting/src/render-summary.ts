import type { Report } from '@ballast/schema';
import { comparisonTitle, headline, SIMULATED_WARNING } from './format.js';

/** A short plain-text summary for a terminal: per comparison, the headline and the per-category table. */
export function renderReportSummary(report: Report): string {
  const out: string[] = [];
  if (report.simulated) out.push(`!! ${SIMULATED_WARNING}`, '');
  out.push(`${report.experimentName} (${report.experimentId})`);
  for (const a of report.arms) {
    if (a.mixId) out.push(`  arm ${a.name}: mix ${a.mixId} (${a.mixComponents.map((c) => `${c.name} ${c.selected}`).join(', ')}) → ${a.mixManifest}`);
  }
  if (report.comparisons.length === 0) out.push('no comparisons');
  for (const cmp of report.comparisons) {
    const t = cmp.totals;
    out.push(
      '',
      `${comparisonTitle(cmp)}: ${headline(cmp)}; ${t.regressed} regressed, ${t.noChange} no change`,
      `${cmp.computeMatch.matched ? '' : 'WARNING '}${cmp.computeMatch.note}`,
      '',
      ...columns([
        ['category', 'improved', 'no change', 'regressed', 'total'],
        ...cmp.byCategory.map((c) => [c.category, c.improved, c.noChange, c.regressed, c.total].map(String)),
        ['total', ...[t.improved, t.noChange, t.regressed, t.total].map(String)],
      ]),
    );
  }
  return `${out.join('\n')}\n`;
}

/** Pads a grid into aligned columns: first column left-aligned, the counts right-aligned. */
function columns(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
