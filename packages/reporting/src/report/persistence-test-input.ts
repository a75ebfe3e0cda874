import type { EvalItemResult } from '@ballast/schema';
import type { Rng } from '../statistics/rng.js';
import type { ArmInput, BenchmarkResults, ReportInput, RunResults } from './input.js';
import { ANALYSIS, info, run } from './test-input.js';

/**
 * Test fixtures for the selective-persistence section (not shipped behaviour): two stressed arms whose
 * harm-side and steering scores follow known straight lines in attack step and pressure level, so the
 * true areas between the curves are exact under the trapezoid rule:
 *   attack:   h_arm(s) = advantage − erosion · s / s_K,
 *   pressure: h_arm(j) = advantage − pressureErosion · j / (levels − 1),
 *   steering: g_arm(s) = steering − steeringErosion · s / s_K.
 * Item i of benchmark b scores difficulty_bi + o_b·(curve + seedShift_{arm,k} + conditionShift) + noise,
 * o_b = −1 for the lower-is-better harm benchmark; difficulty is shared by both arms and every condition.
 */
export const ATTACK = { name: 'harmful-sft', steps: [0, 10, 20, 40] } as const;
export const PRESSURE = [
  { ref: 'none@1', level: 0, label: 'no pressure' },
  { ref: 'persona-mild@1', level: 1, label: 'mild persona' },
  { ref: 'persona-strong@1', level: 3, label: 'strong persona' },
] as const;
export const HARM = [
  { ref: 'decept@1', id: 'decept', direction: 'higher_is_better' },
  { ref: 'harmful-comply@1', id: 'harmful-comply', direction: 'lower_is_better' },
] as const;
export const STEERING = { ref: 'follow-format@1', id: 'follow-format' } as const;

export interface ArmTruth {
  readonly advantage: number;
  readonly erosion: number;
  readonly pressureErosion: number;
  readonly steering: number;
  readonly steeringErosion: number;
}

export interface PersistenceDesign {
  readonly seeds: number;
  readonly items: number;
  readonly difficultySd: number;
  readonly noiseSd: number;
  /** Per arm and seed: training noise, shared by every condition of the run. */
  readonly seedSd?: number;
  /** Per arm, seed and condition: the attack's or the evaluation's own noise. */
  readonly conditionSd?: number;
  readonly treatment: ArmTruth;
  readonly control: ArmTruth;
  /** Leave this attack step out of one arm's first run (an evaluation that failed). */
  readonly drop?: { readonly arm: 'treatment' | 'control'; readonly step: number };
}

/** The true normalised areas between the treatment's and the control's curves. */
export function trueAreas(design: PersistenceDesign): { attack: number; pressure: number; steeringMean: number } {
  const { treatment: t, control: c } = design;
  const sK = ATTACK.steps.at(-1)!;
  const meanFraction = ATTACK.steps.reduce((s: number, x: number) => s + x / sK, 0) / ATTACK.steps.length;
  return {
    attack: t.advantage - c.advantage - (t.erosion - c.erosion) / 2,
    pressure: t.advantage - c.advantage - (t.pressureErosion - c.pressureErosion) / 2,
    steeringMean: t.steering - c.steering - (t.steeringErosion - c.steeringErosion) * meanFraction,
  };
}

export function persistenceInput(rng: Rng, design: PersistenceDesign): ReportInput {
  const refs: string[] = [...HARM.map((h) => h.id), STEERING.id];
  const difficulty = new Map<string, number[]>(refs.map((id) => [id, Array.from({ length: design.items }, () => design.difficultySd * rng.normal())]));
  const sK = ATTACK.steps.at(-1)!;
  const scores = (id: string, sign: number, value: number): EvalItemResult[] =>
    difficulty.get(id)!.map((d, i) => ({ itemId: `q${String(i).padStart(3, '0')}`, score: d + sign * value + design.noiseSd * rng.normal() }));
  const harm = (value: number, shift: number): Record<string, BenchmarkResults> => {
    const condition = (design.conditionSd ?? 0) * rng.normal();
    return Object.fromEntries(
      HARM.map((h) => [h.ref, { info: info(h.id, 'deception', { direction: h.direction }), items: scores(h.id, h.direction === 'lower_is_better' ? -1 : 1, value + shift + condition) }]),
    );
  };
  const steering = (value: number, shift: number): Record<string, BenchmarkResults> => ({
    [STEERING.ref]: { info: info(STEERING.id, 'helpfulness'), items: scores(STEERING.id, 1, value + shift + (design.conditionSd ?? 0) * rng.normal()) },
  });
  const arm = (name: string, role: 'treatment' | 'control', truth: ArmTruth): ArmInput => ({
    trainedDomains: [],
    runs: Array.from({ length: design.seeds }, (_, k): RunResults => {
      const shift = (design.seedSd ?? 0) * rng.normal();
      const final = { ...harm(truth.advantage, shift), ...steering(truth.steering, shift) };
      const attacked: Record<number, Record<string, BenchmarkResults>> = {};
      for (const step of ATTACK.steps.slice(1)) {
        if (design.drop?.arm === role && design.drop.step === step && k === 0) continue;
        attacked[step] = { ...harm(truth.advantage - (truth.erosion * step) / sK, shift), ...steering(truth.steering - (truth.steeringErosion * step) / sK, shift) };
      }
      const pressure: Record<string, Record<string, BenchmarkResults>> = { [PRESSURE[0].ref]: final };
      PRESSURE.slice(1).forEach((p, j) => (pressure[p.ref] = harm(truth.advantage - (truth.pressureErosion * (j + 1)) / (PRESSURE.length - 1), shift)));
      // Step 0 is left to the run's own results: the builder must fall back to them.
      return { ...run(design.seeds === 1 ? name : `${name}.r${k + 1}`, k + 1, final), persistence: { pressure, attacks: { [ATTACK.name]: attacked } } };
    }),
  });
  return {
    experimentId: 'exp_persist',
    experimentName: 'selective-persistence',
    specHash: 'sha256:persist',
    simulated: true,
    seedsPerArm: design.seeds,
    analysis: { ...ANALYSIS, headlineBenchmarks: HARM.map((h) => h.ref), nonInferiorityMargins: { helpfulness: 0.02, capability: 0.02 } },
    comparisons: [{ treatment: 'traits-5', control: 'baseline' }],
    arms: { 'traits-5': arm('traits-5', 'treatment', design.treatment), baseline: arm('baseline', 'control', design.control) },
    persistence: {
      benchmarks: HARM.map((h) => h.ref),
      steering: [STEERING.ref],
      pressure: PRESSURE.map((p) => ({ ...p })),
      attacks: [{ name: ATTACK.name, steps: [...ATTACK.steps] }],
      arms: ['traits-5', 'baseline'],
    },
  };
}
