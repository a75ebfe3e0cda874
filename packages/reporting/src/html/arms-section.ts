// Each arm's lineage: per seed, the data it trained on, the checkpoint compared and its compute.
import type { ReportArm } from '@ballast/schema';
import { html, type SafeHtml } from './escape.js';
import { count } from './format.js';

function arm(a: ReportArm): SafeHtml {
  return html`<h3>${a.name} <span class="small">${a.trainedDomains.length > 0 ? `trained on ${a.trainedDomains.join(', ')}` : 'no trait domains'}</span></h3>
<div class="table-scroll"><table class="replicates">
<thead><tr><th scope="col">Run</th><th scope="col" class="num">Seed</th><th scope="col">Checkpoint</th><th scope="col" class="num">Step</th><th scope="col">Mix</th><th scope="col" class="num">Mix records</th><th scope="col">Components (selected)</th><th scope="col" class="num">Steps</th><th scope="col" class="num">Records seen</th><th scope="col" class="num">Tokens seen</th></tr></thead>
<tbody>${a.replicates.map(
    (r) => html`<tr><th scope="row">${r.run}</th><td class="num">${String(r.seed)}</td><td class="mono">${r.checkpoint}</td><td class="num">${count(r.checkpointStep)}</td><td><span class="mono">${r.mixId ?? '—'}</span>${
      r.mixManifest ? html`<br><span class="small">${r.mixManifest}</span>` : null
    }</td><td class="num">${count(r.mixRecords)}</td><td>${r.mixComponents.length === 0 ? '—' : r.mixComponents.map((c, i) => html`${i > 0 ? ', ' : ''}${c.name} ${count(c.selected)}`)}</td><td class="num">${count(r.steps)}</td><td class="num">${count(r.recordsSeen)}</td><td class="num">${count(r.tokensSeen)}</td></tr>`,
  )}</tbody></table></div>`;
}

export function armsSection(arms: readonly ReportArm[], anchor: string): SafeHtml {
  return html`<section id="${anchor}"><h2>Arms and replicates</h2>${arms.length === 0 ? html`<p class="muted">No arms recorded.</p>` : arms.map(arm)}</section>`;
}
