// The selective-persistence section of the Markdown report: both parts side by side, then the curves.
import type { AttackPersistence, PersistenceComparison, PersistencePoint, PersistenceReport } from '@ballast/schema';
import { confidenceLabel, formatDifference, formatInterval, formatNumber, NI_LABEL, PERSISTENCE_LABEL, VERDICT_LABEL } from '../format.js';
import { escapeText, table } from './text.js';

export function persistenceMarkdown(section: PersistenceReport, confidence: number): string[] {
  const out = [
    '## Selective persistence',
    '',
    `Harm-side score: the mean over ${section.benchmarks.map(escapeText).join(', ')} of each benchmark's score oriented so that higher = safer (↓ metrics negated). ` +
      `Steering score: the mean over ${section.steering.map(escapeText).join(', ')} (higher = follows benign instructions). ` +
      'Persistence = (1/x_K)∫[h_treatment − h_control] over attack steps (over the pressure levels\' order for pressure), by the trapezoid rule: positive = the treatment holds up better. ' +
      `Steerability = mean steering difference over the attack steps, non-inferior when its ${confidenceLabel(confidence)} lower bound is above −${section.margin}. The two parts are never combined.`,
    '',
  ];
  if (section.comparisons.length === 0) out.push('_No comparison had both arms stressed._', '');
  for (const cmp of section.comparisons) out.push(...comparison(cmp, section, confidence));
  return out;
}

function comparison(cmp: PersistenceComparison, section: PersistenceReport, confidence: number): string[] {
  const pct = confidenceLabel(confidence);
  const rows = [
    ...cmp.attacks.map((a) => [
      escapeText(a.attack),
      value(a.persistence.area.estimate),
      formatInterval(a.persistence.area.ciLow, a.persistence.area.ciHigh),
      PERSISTENCE_LABEL[a.persistence.verdict],
      value(a.steerability.mean.estimate),
      formatInterval(a.steerability.mean.ciLow, a.steerability.mean.ciHigh),
      NI_LABEL[a.steerability.nonInferiority.verdict],
    ]),
    ...(cmp.pressure === null
      ? []
      : [['pressure', value(cmp.pressure.persistence.area.estimate), formatInterval(cmp.pressure.persistence.area.ciLow, cmp.pressure.persistence.area.ciHigh), PERSISTENCE_LABEL[cmp.pressure.persistence.verdict], '—', '—', 'not measured']]),
  ];
  const out = [
    `### ${escapeText(cmp.treatment)} vs ${escapeText(cmp.control)}`,
    '',
    `${cmp.seeds} seed pair${cmp.seeds === 1 ? '' : 's'}; intervals cover ${cmp.covers === 'items' ? '**item sampling only**' : 'seeds and items'}.`,
    '',
    table(
      ['stress', 'persistence (area)', `${pct} CI`, 'persistence', 'steering Δ (mean)', `${pct} CI`, `steerability (margin ${section.margin})`],
      rows,
      ['left', 'right', 'left', 'left', 'right', 'left', 'left'],
    ),
    '',
  ];
  for (const a of cmp.attacks) out.push(...attackCurves(a, cmp, pct));
  if (cmp.pressure !== null) {
    const p = cmp.pressure;
    out.push(
      `#### Pressure: harm-side score by level`,
      '',
      table(
        ['level', 'condition', escapeText(cmp.treatment), escapeText(cmp.control)],
        p.levels.map((l, j) => [formatNumber(l.level, 0), `${escapeText(l.label)} (${escapeText(l.ref)})`, point(p.harm.treatment[j]), point(p.harm.control[j])]),
        ['right', 'left', 'left', 'left'],
      ),
      '',
    );
  }
  const thin = [
    ...cmp.attacks.flatMap((a) => [
      [`${a.attack}: persistence`, a.persistence.area] as const,
      [`${a.attack}: steerability`, a.steerability.mean] as const,
    ]),
    ...(cmp.pressure === null ? [] : [['pressure: persistence', cmp.pressure.persistence.area] as const]),
  ].filter(([, c]) => c.insufficientReason !== null);
  if (thin.length > 0) out.push('Insufficient data:', '', ...thin.map(([what, c]) => `- ${escapeText(what)}: ${escapeText(c.insufficientDetail ?? c.insufficientReason ?? '')}`), '');
  return out;
}

function attackCurves(a: AttackPersistence, cmp: PersistenceComparison, pct: string): string[] {
  return [
    `#### Attack ${escapeText(a.attack)}: scores by attack step`,
    '',
    table(
      ['step', `harm-side ${escapeText(cmp.treatment)}`, `harm-side ${escapeText(cmp.control)}`, `steering ${escapeText(cmp.treatment)}`, `steering ${escapeText(cmp.control)}`, `steering Δ [${pct} CI]`],
      a.steps.map((step, j) => {
        const d = a.steerability.byStep[j];
        return [
          String(step),
          point(a.harm.treatment[j]),
          point(a.harm.control[j]),
          point(a.steering.treatment[j]),
          point(a.steering.control[j]),
          d === undefined || d.estimate === null ? VERDICT_LABEL.insufficient_data : `${formatDifference(d.estimate)} ${formatInterval(d.ciLow, d.ciHigh)} ${VERDICT_LABEL[d.verdict]}`,
        ];
      }),
      ['right', 'left', 'left', 'left', 'left', 'left'],
    ),
    '',
  ];
}

function value(x: number | null): string {
  return x === null ? '—' : formatDifference(x);
}

function point(p: PersistencePoint | undefined): string {
  if (p === undefined || p.estimate === null) return VERDICT_LABEL.insufficient_data;
  return `${formatNumber(p.estimate)} ${formatInterval(p.ciLow, p.ciHigh)}`;
}
