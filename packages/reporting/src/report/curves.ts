import type { BenchmarkCurve } from '@ballast/schema';
import { estimateFor } from './benchmark-row.js';
import type { AnalysisInput, BenchmarkResults, RunResults } from './input.js';

/**
 * Per-checkpoint curves: at every step that each paired run evaluated, the same paired comparison as
 * the final one (cluster-robust with one seed per arm, seed-level with replicates). A step some run
 * lacks is left out rather than compared unpaired.
 */
export function curvesFor(
  refs: readonly string[],
  treatment: readonly RunResults[],
  control: readonly RunResults[],
  context: { readonly seedsPerArm: number; readonly analysis: AnalysisInput; readonly samplesPerItem: number | null },
): BenchmarkCurve[] {
  const runs = [...treatment, ...control];
  if (runs.some((r) => r.byStep === undefined)) return [];
  const steps = [...(runs[0]?.byStep?.keys() ?? [])].filter((step) => runs.every((r) => r.byStep?.has(step))).sort((a, b) => a - b);
  return refs.map((ref) => ({
    benchmark: ref,
    points: steps.flatMap((step) => {
      const at = (r: RunResults): BenchmarkResults | undefined => r.byStep?.get(step)?.[ref];
      const t = treatment.map(at);
      const c = control.map(at);
      if (t.some((x) => x === undefined) || c.some((x) => x === undefined)) return [];
      const e = estimateFor({ treatment: t as BenchmarkResults[], control: c as BenchmarkResults[] }, context.seedsPerArm, context.analysis, context.samplesPerItem);
      return [{ step, delta: e.delta, ciLow: e.ciLow, ciHigh: e.ciHigh, seeds: e.seeds, verdict: e.verdict }];
    }),
  }));
}
