// Small SVG building blocks shared by the charts: a linear scale, "nice" axis ticks, and the chart element.
import { html, type HtmlValue, type SafeHtml } from './escape.js';

/** Maps [d0, d1] onto [r0, r1]. A zero-width domain maps to the middle of the range. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): (x: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (x) => r0 + ((x - d0) / (d1 - d0)) * (r1 - r0);
}

/** Round ticks (1, 2 or 5 × 10^k apart) covering [low, high], about `target` of them. */
export function niceTicks(low: number, high: number, target = 5): { domain: [number, number]; ticks: number[] } {
  if (!(high > low)) {
    const pad = Math.abs(low) > 0 ? Math.abs(low) * 0.5 : 1;
    return niceTicks(low - pad, high + pad, target);
  }
  const rough = (high - low) / Math.max(1, target);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const first = Math.floor(low / step) * step;
  const last = Math.ceil(high / step) * step;
  const ticks: number[] = [];
  // Integer multiples, so that 0.30000000000000004 never becomes a tick label.
  for (let i = Math.round(first / step); i <= Math.round(last / step); i++) ticks.push(Number((i * step).toPrecision(12)));
  return { domain: [first, last], ticks };
}

/** Decimals that tell ticks `step` apart: 0.05 → 2. */
export function tickDigits(ticks: readonly number[]): number {
  const step = ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) : 1;
  return Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
}

/** An SVG rectangle of its own size: explicit width and height, a matching viewBox, and an accessible name. */
export function chart(options: { className: string; width: number; height: number; label: string; data?: Record<string, string> }, body: HtmlValue): SafeHtml {
  const { className, width, height, label } = options;
  const data = Object.entries(options.data ?? {}).map(([key, value]) => html` data-${key}="${value}"`);
  return html`<svg class="chart ${className}" width="${String(width)}" height="${String(height)}" viewBox="0 0 ${String(width)} ${String(height)}" role="img" aria-label="${label}"${data}><title>${label}</title>${body}</svg>`;
}

/** A coordinate with at most two decimals: keeps the markup small. */
export function px(x: number): string {
  return String(Math.round(x * 100) / 100);
}
