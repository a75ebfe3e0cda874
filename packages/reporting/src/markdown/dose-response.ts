// The dose–response section of the Markdown report: the sweep, the family's headline and each benchmark's trend.
import type { DoseResponseReport, DoseResponseRow } from '@ballast/schema';
import { confidenceLabel, doseHeadline, formatDifference, formatInterval, formatNumber, formatP, fractionLabel, pooledTrendLine, VERDICT_LABEL } from '../format.js';
import { escapeText, table } from './text.js';

const TREND_LABEL = { improved: 'rises', no_change: 'flat', regressed: 'falls', insufficient_data: 'insufficient data' } as const;

export function doseResponseMarkdown(section: DoseResponseReport, confidence: number): string[] {
  const pct = confidenceLabel(confidence);
  const arms = section.arms.map((a) => `${escapeText(a.arm)} ${fractionLabel(a.fraction)}`).join(', ');
  const thin = section.benchmarks.filter((b) => b.verdict === 'insufficient_data');
  return [
    '## Dose–response',
    '',
    `Sweep: ${arms} (control ${escapeText(section.control)}). Trend = least-squares slope of the oriented score in the trait fraction, **per +1 percentage point** of trait data; ` +
      `${section.seeds} seed${section.seeds === 1 ? '' : 's'} per arm, intervals covering ${section.covers === 'items' ? '**item sampling only**' : 'seeds and items'}.`,
    '',
    `**${doseHeadline(section)}.**`,
    '',
    `${pooledTrendLine(section.randomEffects, confidence)}.`,
    '',
    section.benchmarks.length === 0
      ? '_No benchmark was evaluated on every arm of the sweep._'
      : table(
          ['benchmark', 'category', 'items', 'seeds', 'trend / pp', `${pct} CI`, 'df', 'p', 'p (Holm)', 'p (BH)', 'trend (Holm)', ...section.arms.slice(1).map((a) => `Δ at ${fractionLabel(a.fraction)}`)],
          section.benchmarks.map(row),
          ['left', 'left', 'right', 'right', 'right', 'left', 'right', 'right', 'right', 'right', 'left', ...section.arms.slice(1).map((): 'right' => 'right')],
        ),
    '',
    `Δ at each fraction: that arm against ${escapeText(section.control)}, the same paired comparison as a benchmark row, with its ${pct} CI. ` +
      'Benchmarks outside the headline family (†) show their unadjusted verdict.',
    '',
    ...(thin.length === 0
      ? []
      : ['Insufficient data (no trend):', '', ...thin.map((b) => `- ${escapeText(b.benchmark)}: ${escapeText(b.slope.insufficientDetail ?? b.slope.insufficientReason ?? '')}`), '']),
  ];
}

function row(b: DoseResponseRow): string[] {
  const s = b.slope;
  const v = b.inHeadlineFamily ? b.holmVerdict : b.verdict;
  const verdict = v === 'no_change' || v === 'insufficient_data' ? TREND_LABEL[v] : `**${TREND_LABEL[v]}**`;
  return [
    `${escapeText(b.benchmark)}${b.direction === 'lower_is_better' ? ' ↓' : ''}${b.inHeadlineFamily ? '' : ' †'}`,
    b.category,
    String(s.items),
    String(s.seeds),
    s.estimate === null ? '—' : formatDifference(s.estimate, 4),
    formatInterval(s.ciLow, s.ciHigh, 4),
    s.df === null ? '—' : formatNumber(s.df, 0),
    formatP(s.pValue),
    formatP(b.pHolm),
    formatP(b.pBH),
    verdict,
    ...b.points.map((p) => (p.delta === null ? VERDICT_LABEL.insufficient_data : `${formatDifference(p.delta)} ${formatInterval(p.ciLow, p.ciHigh)}`)),
  ];
}
