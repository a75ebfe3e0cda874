// Each arm's lineage: per seed, the data it trained on, the checkpoint compared and its compute.
import type { ReportArm } from '@ballast/schema';
import { html, type SafeHtml } from './escape.js';
import { count } from './format.js';

function arm(a: ReportArm): SafeHtml {
  return html`<h3>${a.name} <span class="small">${a.trainedDomains.length > 0 ? `trained on ${a.trainedDomains.join(', ')}` : 'no trait domains'}</span></h3>
<div class="table-scroll"><table class="replicates">
<thead><tr><th scope="col">Run</th><th scope="col" class="num">Seed</th><th scope="col">Checkpoint</th><th scope="col" class="num">Step</th><th scope="col">Mix</th><th scope="col" class="num">Mix records</th><th scope="col">Components (selected)</th><th scope="col" class="num">Steps</th><th scope="col" class="num">Records seen</th><th scope="col" class="num">Tokens seen</th><th scope="col">Reused from</th></tr></thead>
<tbody>${a.replicates.map(
    (r) => html`<tr><th scope="row">${r.run}</th><td class="num">${String(r.seed)}</td><td class="mono">${r.checkpoint}</td><td class="num">${count(r.checkpointStep)}</td><td><span class="mono">${r.mixId ?? '—'}</span>${
      r.mixManifest ? html`<br><span class="small">${r.mixManifest}</span>` : null
    }</td><td class="num">${count(r.mixRecords)}</td><td>${r.mixComponents.length === 0 ? '—' : r.mixComponents.map((c, i) => html`${i > 0 ? ', ' : ''}${c.name} ${count(c.selected)}`)}</td><td class="num">${count(r.steps)}</td><td class="num">${count(r.recordsSeen)}</td><td class="num">${count(r.tokensSeen)}</td><td class="reused">${
      r.reusedFrom
        ? html`<span class="badge warn">reused</span> ${r.reusedFrom.experimentName}, run ${r.reusedFrom.run}<br><span class="small mono">${r.reusedFrom.experimentId}</span>`
        : html`<span class="muted">trained here</span>`
    }</td></tr>`,
  )}</tbody></table></div>`;
}

/** The runs whose checkpoints and evaluations came from an earlier experiment, listed where a reader looks first. */
function reused(arms: readonly ReportArm[]): SafeHtml | null {
  const runs = arms.flatMap((a) => a.replicates.filter((r) => r.reusedFrom !== undefined));
  if (runs.length === 0) return null;
  return html`<div class="reuse-note"><p><strong>${String(runs.length)} run${runs.length === 1 ? ' was' : 's were'} reused</strong> (checkpoints and evaluations taken from an identical run of an earlier experiment, not trained here):</p><ul class="reused-runs">${runs.map(
    (r) => html`<li data-run="${r.run}"><strong>${r.run}</strong> from experiment ${r.reusedFrom!.experimentName} (<span class="mono">${r.reusedFrom!.experimentId}</span>), run ${r.reusedFrom!.run}</li>`,
  )}</ul></div>`;
}

export function armsSection(arms: readonly ReportArm[], anchor: string): SafeHtml {
  return html`<section id="${anchor}"><h2>Arms and replicates</h2>${reused(arms)}${arms.length === 0 ? html`<p class="muted">No arms recorded.</p>` : arms.map(arm)}</section>`;
}
