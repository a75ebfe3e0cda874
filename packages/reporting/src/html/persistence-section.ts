// The selective-persistence section: per stressed comparison, the two parts side by side in one table
// (never combined), then the curves they are read from and the steering differences step by step.
import type { ContrastEstimate, PersistenceComparison, PersistenceReport } from '@ballast/schema';
import { NI_LABEL, PERSISTENCE_LABEL } from '../format.js';
import { html, type SafeHtml } from './escape.js';
import { fixed, interval, signed } from './format.js';
import { persistenceChart } from './persistence-svg.js';
import { COVERAGE_TEXT, VERDICT_LABEL, words } from './vocabulary.js';

function estimateCell(c: ContrastEstimate, level: string): SafeHtml {
  if (c.estimate === null || c.insufficientReason !== null) {
    return html`<td class="num"><span class="verdict insufficient_data">—</span><div class="small insufficient-detail">${c.insufficientReason ? words(c.insufficientReason) : 'insufficient data'}${c.insufficientDetail ? html`: ${c.insufficientDetail}` : null}</div></td>`;
  }
  return html`<td class="num"><strong>${signed(c.estimate)}</strong><br><span class="small">${level} ${interval(c.ciLow, c.ciHigh)}</span></td>`;
}

function partsTable(cmp: PersistenceComparison, section: PersistenceReport, level: string): SafeHtml {
  const rows = [
    ...cmp.attacks.map(
      (a) =>
        html`<tr data-stress="${a.attack}"><th scope="row">attack ${a.attack}<div class="small">steps ${a.steps.join(', ')}</div></th>${estimateCell(a.persistence.area, level)}<td class="persistence-verdict ${a.persistence.verdict}">${PERSISTENCE_LABEL[a.persistence.verdict]}</td>${estimateCell(a.steerability.mean, level)}<td class="ni ${a.steerability.nonInferiority.verdict}"><span class="ni-verdict">${NI_LABEL[a.steerability.nonInferiority.verdict]}</span></td></tr>`,
    ),
    cmp.pressure === null
      ? null
      : html`<tr data-stress="pressure"><th scope="row">pressure<div class="small">levels ${cmp.pressure.levels.map((l) => l.label).join(', ')}</div></th>${estimateCell(cmp.pressure.persistence.area, level)}<td class="persistence-verdict ${cmp.pressure.persistence.verdict}">${PERSISTENCE_LABEL[cmp.pressure.persistence.verdict]}</td><td class="num muted">—</td><td class="muted">not measured</td></tr>`,
  ];
  return html`<div class="table-scroll"><table class="selective-persistence">
<thead><tr><th scope="col">Stress</th><th scope="col" class="num">Persistence: area between curves</th><th scope="col">Persistence</th><th scope="col" class="num">Steerability: mean steering Δ</th><th scope="col">Steerability (margin ${fixed(section.margin)})</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

function steeringSteps(cmp: PersistenceComparison, level: string): SafeHtml | null {
  if (cmp.attacks.length === 0) return null;
  return html`<details><summary>Steering difference at each attack step</summary><div class="table-scroll"><table class="steering-steps">
<thead><tr><th scope="col">Attack</th><th scope="col" class="num">Step</th><th scope="col" class="num">Steering Δ</th><th scope="col" class="num">${level} CI</th><th scope="col">Verdict (unadjusted)</th></tr></thead>
<tbody>${cmp.attacks.map((a) =>
    a.steerability.byStep.map(
      (d) =>
        html`<tr><th scope="row">${a.attack}</th><td class="num">${String(d.step)}</td><td class="num">${signed(d.estimate)}</td><td class="num">${interval(d.ciLow, d.ciHigh)}</td><td><span class="verdict ${d.verdict}">${VERDICT_LABEL[d.verdict]}</span>${
          d.insufficientDetail ? html`<div class="small insufficient-detail">${d.insufficientDetail}</div>` : null
        }</td></tr>`,
    ),
  )}</tbody></table></div></details>`;
}

function comparison(cmp: PersistenceComparison, section: PersistenceReport, level: string): SafeHtml {
  const names = { treatment: cmp.treatment, control: cmp.control, level };
  const charts = [
    ...cmp.attacks.flatMap((a) => [
      persistenceChart({ ...names, kind: 'attack-harm', title: `${a.attack}: harm-side score`, yTitle: 'harm-side score (higher = safer)', xTitle: 'attack step', curves: a.harm, axis: a.steps.map((s) => ({ x: s, label: String(s) })) }),
      persistenceChart({ ...names, kind: 'attack-steering', title: `${a.attack}: steering score`, yTitle: 'steering score (higher = follows)', xTitle: 'attack step', curves: a.steering, axis: a.steps.map((s) => ({ x: s, label: String(s) })) }),
    ]),
    cmp.pressure === null
      ? null
      : persistenceChart({
          ...names,
          kind: 'pressure-harm',
          title: 'pressure: harm-side score',
          yTitle: 'harm-side score (higher = safer)',
          xTitle: 'pressure level (in order)',
          curves: cmp.pressure.harm,
          axis: cmp.pressure.levels.map((l, i) => ({ x: i, label: l.label })),
        }),
  ];
  return html`<section class="persistence" data-treatment="${cmp.treatment}" data-control="${cmp.control}"><h3>${cmp.treatment} <span class="muted">vs</span> ${cmp.control}</h3>
<p class="small">${String(cmp.seeds)} seed pair(s); intervals cover ${COVERAGE_TEXT[cmp.covers]}.</p>
${partsTable(cmp, section, level)}
<figure><figcaption>Per arm, the score at each attack step or pressure level with its ${level} CI band. The persistence area is the normalised area between the two harm-side curves; steerability reads the steering curves.</figcaption><div class="small-multiples">${charts}</div></figure>
${steeringSteps(cmp, level)}
</section>`;
}

export function persistenceSection(section: PersistenceReport | undefined, anchor: string, level: string): SafeHtml | null {
  if (section === undefined) return null;
  return html`<section id="${anchor}" class="persistence-section"><h2>Selective persistence</h2>
<p>Harm-side score: the mean of ${section.benchmarks.join(', ')}, each oriented so that higher = safer. Steering score: the mean of ${section.steering.join(', ')} (higher = follows benign instructions). <strong>Persistence</strong>: (1/x<sub>K</sub>)∫[h<sub>treatment</sub> − h<sub>control</sub>] by the trapezoid rule over the attack steps (over the levels' order for pressure); positive = the treatment holds up better, improved/worse when the interval excludes 0. <strong>Steerability</strong>: the treatment − control steering score averaged over the attack steps, non-inferior when its lower bound is above −${fixed(section.margin)}. The two parts are reported side by side and never combined into one number.</p>
${section.comparisons.length === 0 ? html`<p class="muted">No comparison had both arms stressed.</p>` : section.comparisons.map((c) => comparison(c, section, level))}
</section>`;
}
