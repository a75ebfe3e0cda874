import type { BenchmarkCategory, BenchmarkInfo, EvalItemResult } from '@ballast/schema';
import type { Rng } from '../statistics/rng.js';
import type { ArmInput, ReportInput } from './input.js';
import { ANALYSIS, info, run } from './test-input.js';

/**
 * Test fixtures for the dose–response section (not shipped behaviour): a trait-fraction sweep whose
 * benchmarks have a known linear trend. Item i of benchmark b in arm a, seed k scores
 *   difficulty_bi + o_b · slope_b · pct_a + seedShift_{a,k,b} + conversation_{a,k,b,g} + noise_{a,k,b,i}
 * (o_b = −1 for a lower-is-better metric, so the oriented trend is slope_b), pct_a the arm's trait
 * share in percent. Difficulty is shared by every arm and seed; everything else is drawn afresh.
 */
export const SWEEP = [
  { arm: 'baseline', fraction: 0 },
  { arm: 'traits-1', fraction: 0.01 },
  { arm: 'traits-2', fraction: 0.02 },
  { arm: 'traits-5', fraction: 0.05 },
  { arm: 'traits-10', fraction: 0.1 },
] as const;

export interface DoseBenchmark {
  readonly id: string;
  readonly category: BenchmarkCategory;
  /** True oriented slope per +1 percentage point of trait data. */
  readonly slopePerPoint: number;
  readonly direction?: BenchmarkInfo['direction'];
}

export interface DoseDesign {
  readonly benchmarks: readonly DoseBenchmark[];
  readonly seeds: number;
  readonly items: number;
  /** Items per conversation (equal clusters); omitted: independent items. */
  readonly clusterSize?: number;
  readonly difficultySd: number;
  readonly noiseSd: number;
  readonly conversationSd?: number;
  /** Per arm, seed and benchmark: training noise. */
  readonly seedSd?: number;
}

export function doseResponseInput(rng: Rng, design: DoseDesign): ReportInput {
  const difficulty = new Map(design.benchmarks.map((b) => [b.id, Array.from({ length: design.items }, () => design.difficultySd * rng.normal())]));
  const clusters = design.clusterSize === undefined ? 0 : Math.ceil(design.items / design.clusterSize);
  const itemsOf = (b: DoseBenchmark, pct: number): EvalItemResult[] => {
    const sign = b.direction === 'lower_is_better' ? -1 : 1;
    const shift = (design.seedSd ?? 0) * rng.normal();
    const conversation = Array.from({ length: clusters }, () => (design.conversationSd ?? 0) * rng.normal());
    return difficulty.get(b.id)!.map((d, i) => {
      const g = design.clusterSize === undefined ? undefined : Math.floor(i / design.clusterSize);
      const score = d + sign * b.slopePerPoint * pct + shift + (g === undefined ? 0 : conversation[g]!) + design.noiseSd * rng.normal();
      return g === undefined ? { itemId: `q${String(i).padStart(3, '0')}`, score } : { itemId: `q${String(i).padStart(3, '0')}`, score, cluster: `c${g}` };
    });
  };
  const arms: Record<string, ArmInput> = {};
  for (const { arm, fraction } of SWEEP) {
    const runs = Array.from({ length: design.seeds }, (_, k) =>
      run(design.seeds === 1 ? arm : `${arm}.r${k + 1}`, k + 1, Object.fromEntries(
        design.benchmarks.map((b) => [`${b.id}@1`, { info: info(b.id, b.category, { direction: b.direction ?? 'higher_is_better' }), items: itemsOf(b, 100 * fraction) }]),
      )),
    );
    arms[arm] = { runs, trainedDomains: fraction > 0 ? ['law'] : [] };
  }
  return {
    experimentId: 'exp_dose',
    experimentName: 'trait-fraction-sweep',
    specHash: 'sha256:dose',
    simulated: true,
    seedsPerArm: design.seeds,
    analysis: { ...ANALYSIS, headlineBenchmarks: design.benchmarks.filter((b) => b.category !== 'capability' && b.category !== 'helpfulness').map((b) => `${b.id}@1`) },
    comparisons: [{ treatment: 'traits-5', control: 'baseline' }],
    arms,
    doseResponse: { control: 'baseline', arms: SWEEP.slice(1).map((a) => ({ arm: a.arm, fraction: a.fraction })) },
  };
}
