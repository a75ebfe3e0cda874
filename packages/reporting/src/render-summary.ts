import { terminalText } from '@ballast/config';
import type { DoseResponseReport, PersistenceReport, Report } from '@ballast/schema';
import {
  comparisonTitle,
  confidenceLabel,
  doseHeadline,
  formatDifference,
  formatInterval,
  formatP,
  fractionLabel,
  headline,
  modelWarning,
  NI_LABEL,
  PERSISTENCE_LABEL,
  pooledTrendLine,
  randomEffectsLine,
  reuseLine,
  SIMULATED_WARNING,
  VERDICT_LABEL,
} from './format.js';

/**
 * A short plain-text summary for a terminal: the experiment's description and labels, each arm's seed,
 * data and compared checkpoint, then per comparison the headline, the per-category table and the
 * benchmarks that changed. Text from the spec or the data is shown escaped (it may hold control characters).
 */
export function renderReportSummary(report: Report): string {
  const t = terminalText;
  const out: string[] = [];
  if (report.simulated) out.push(`!! ${SIMULATED_WARNING}`, '');
  if (report.modelLabel) out.push(`!! ${modelWarning(t(report.modelLabel))}`, '');
  out.push(`${t(report.experimentName)} (${t(report.experimentId)})`);
  if (report.description) out.push(`  ${t(report.description)}`);
  const labels = Object.entries(report.labels ?? {});
  if (labels.length > 0) out.push(`  labels: ${labels.map(([k, v]) => `${t(k)}=${t(v)}`).join(', ')}`);
  if (report.samplesPerItem !== undefined) out.push(`  evaluation: ${report.samplesPerItem} samples per item`);
  const pre = report.preregistration;
  out.push(`  ${pre.declared ? 'declared' : 'not declared at launch, defaults'}: α ${pre.alpha}, ${pre.seedsPerArm} seed(s) per arm, headline family of ${pre.headlineBenchmarks.length} benchmarks`);
  for (const a of report.arms) {
    const runs = a.replicates.map((r) => `${t(r.run)} seed ${r.seed} step ${r.checkpointStep}`).join('; ');
    out.push(`  arm ${t(a.name)}: ${runs}`);
  }
  for (const a of report.arms) for (const r of a.replicates) if (r.reusedFrom !== undefined) out.push(`  reused: ${t(reuseLine(r.run, r.reusedFrom))}`);
  if (report.comparisons.length === 0) out.push('no comparisons');
  for (const cmp of report.comparisons) {
    const h = cmp.headline;
    out.push(
      '',
      `${t(comparisonTitle(cmp))}: ${headline(cmp)}`,
      `  ${h.covers === 'items' ? 'NOTE ' : ''}${t(h.coverageNote)}`,
      `  ${t(randomEffectsLine(cmp.randomEffects, report.method.confidence))}`,
      `${cmp.computeMatch.matched && cmp.computeMatch.tokensMatched !== false ? '' : 'WARNING '}${t(cmp.computeMatch.note)}`,
      '',
      ...columns([
        ['category', 'improved', 'no change', 'regressed', 'insufficient', 'total'],
        ...cmp.byCategory.map((c) => [c.category, c.improved, c.noChange, c.regressed, c.insufficient, c.total].map(String)),
        ['headline (Holm)', ...[h.holm.improved, h.holm.noChange, h.holm.regressed, h.holm.insufficient, h.holm.total].map(String)],
      ]),
    );
    const changed = cmp.benchmarks.filter((b) => b.holmVerdict !== 'no_change');
    if (changed.length > 0) {
      const pct = confidenceLabel(report.method.confidence);
      out.push(
        '',
        ...columns([
          ['benchmark', 'verdict', 'Δ', `${pct} CI`, 'p (Holm)'],
          ...changed.map((b) => [t(b.benchmark), VERDICT_LABEL[b.holmVerdict], b.delta === null ? '—' : formatDifference(b.delta), formatInterval(b.ciLow, b.ciHigh), b.inHeadlineFamily ? formatP(b.pHolm) : 'not in family']),
        ]),
      );
    }
    const ni = cmp.benchmarks.filter((b) => b.nonInferiority !== null);
    if (ni.length > 0) {
      const counts = (v: string) => ni.filter((b) => b.nonInferiority?.verdict === v).length;
      out.push('', `non-inferiority (${ni.length} benchmarks): ${(['non_inferior', 'inconclusive', 'inferior', 'insufficient_data'] as const).map((v) => `${counts(v)} ${NI_LABEL[v]}`).join(', ')}`);
    }
  }
  for (const row of report.generalisation) {
    out.push('', `generalisation, ${t(row.treatment)} vs ${t(row.control)} (trait domains: ${row.trainedDomains.map(t).join(', ') || 'none'}):`);
    for (const cell of row.cells.filter((c) => ['in_domain', 'out_of_domain', 'general'].includes(c.column))) out.push(`  ${t(cell.text)}`);
  }
  if (report.doseResponse !== undefined) out.push(...doseSummary(report.doseResponse, report.method.confidence));
  if (report.persistence !== undefined) out.push(...persistenceSummary(report.persistence, report.method.confidence));
  if (report.simulated) out.push('', `!! ${SIMULATED_WARNING}`);
  if (report.modelLabel) out.push('', `!! ${modelWarning(t(report.modelLabel))}`);
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

/** The sweep, its Holm headline and pooled trend, and the family benchmarks whose trend is not flat. */
function doseSummary(section: DoseResponseReport, confidence: number): string[] {
  const t = terminalText;
  const sweep = section.arms.map((a) => `${t(a.arm)} ${fractionLabel(a.fraction)}`).join(', ');
  const moving = section.benchmarks.filter((b) => b.inHeadlineFamily && (b.holmVerdict === 'improved' || b.holmVerdict === 'regressed'));
  return [
    '',
    `dose–response (${sweep}; trend per +1 percentage point of trait data):`,
    `  ${doseHeadline(section)}`,
    `  ${t(pooledTrendLine(section.randomEffects, confidence))}`,
    ...(section.covers === 'items' ? ['  NOTE one seed per arm: trend intervals cover item sampling only'] : []),
    ...(moving.length === 0
      ? []
      : columns([
          ['  benchmark', 'trend', 'trend / pp', `${confidenceLabel(confidence)} CI`, 'p (Holm)'],
          ...moving.map((b) => [`  ${t(b.benchmark)}`, b.holmVerdict === 'improved' ? 'rises' : 'falls', formatDifference(b.slope.estimate ?? 0, 4), formatInterval(b.slope.ciLow, b.slope.ciHigh, 4), formatP(b.pHolm)]),
        ])),
  ];
}

/** Per stressed comparison, one line per attack (and pressure): the persistence part and the steerability part side by side. */
function persistenceSummary(section: PersistenceReport, confidence: number): string[] {
  const t = terminalText;
  const pct = confidenceLabel(confidence);
  const out: string[] = [];
  for (const cmp of section.comparisons) {
    out.push('', `selective persistence, ${t(cmp.treatment)} vs ${t(cmp.control)} (${cmp.seeds} seed pair(s); ${pct} CIs; steerability margin ${section.margin}):`);
    const rows = [
      ...cmp.attacks.map((a) => [
        `  ${t(a.attack)}`,
        'persistence',
        a.persistence.area.estimate === null ? '—' : formatDifference(a.persistence.area.estimate),
        formatInterval(a.persistence.area.ciLow, a.persistence.area.ciHigh),
        PERSISTENCE_LABEL[a.persistence.verdict],
        '|',
        'steerability',
        a.steerability.mean.estimate === null ? '—' : formatDifference(a.steerability.mean.estimate),
        formatInterval(a.steerability.mean.ciLow, a.steerability.mean.ciHigh),
        NI_LABEL[a.steerability.nonInferiority.verdict],
      ]),
      ...(cmp.pressure === null
        ? []
        : [[
            '  pressure',
            'persistence',
            cmp.pressure.persistence.area.estimate === null ? '—' : formatDifference(cmp.pressure.persistence.area.estimate),
            formatInterval(cmp.pressure.persistence.area.ciLow, cmp.pressure.persistence.area.ciHigh),
            PERSISTENCE_LABEL[cmp.pressure.persistence.verdict],
            '|',
            'steerability',
            '—',
            '—',
            'not measured',
          ]]),
    ];
    if (rows.length > 0) out.push(...columns(rows));
  }
  if (section.comparisons.length === 0) out.push('', 'selective persistence: no comparison had both arms stressed');
  return out;
}
