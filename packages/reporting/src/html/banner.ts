// The warnings a reader must not miss: a simulated workload, or a base model that says what it is. They
// open the page, close it, and head every printed page (styles.ts puts them in the @page margin).
import type { Report } from '@ballast/schema';
import { html, type SafeHtml } from './escape.js';

export const SIMULATED_BANNER = 'SIMULATED reference workload — not a language model; proves the plumbing, not the science';

/** The banner text for a report's self-described base model. */
export function modelBanner(label: string): string {
  return `MODEL: ${label}`;
}

/** The lines of the banner, most important first; empty for a real run on a model that says nothing. */
export function bannerLines(report: Report): string[] {
  const lines: string[] = [];
  if (report.simulated) lines.push(SIMULATED_BANNER);
  if (report.modelLabel !== undefined && report.modelLabel !== '') lines.push(modelBanner(report.modelLabel));
  return lines;
}

/** The banner block, with `where` (top or footer) in its class. */
export function banner(report: Report, where: 'top' | 'footer'): SafeHtml | null {
  const lines = bannerLines(report);
  if (lines.length === 0) return null;
  return html`<div class="banner banner-${where}" role="note">${lines.map(
    (line, i) => html`<p class="${i === 0 && report.simulated ? 'banner-simulated' : 'banner-model'}"><span class="banner-icon" aria-hidden="true">⚠</span> ${line}</p>`,
  )}</div>`;
}
