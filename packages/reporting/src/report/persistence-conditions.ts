import { InvalidArgumentError } from '../errors.js';
import type { BenchmarkResults, PersistenceInput, RunResults } from './input.js';

/**
 * The points on a persistence curve's x axis: each attack step, or each pressure level, and where a
 * run's results for it are found. Step 0 of an attack and pressure level 0 are the unattacked,
 * unpressured final checkpoint: where a run does not list them separately, its own results stand in.
 */
export interface StressCondition {
  /** The attack step, or the pressure level. */
  readonly at: number;
  /** Where the area's trapezoid rule places it: the step itself, or the level's index (0, 1, 2, …). */
  readonly x: number;
  readonly label: string;
  /** The pressure condition's ref, or the attack's name. */
  readonly ref: string;
  /** In words, for a "no results" detail: "attack sft step 40". */
  readonly where: string;
  readonly results: (run: RunResults, ref: string) => BenchmarkResults | undefined;
}

function own<T>(record: Readonly<Record<string | number, T>> | undefined, key: string | number): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

function finalResults(run: RunResults, ref: string): BenchmarkResults | undefined {
  return own(run.results, ref);
}

/** One attack's steps, increasing, from 0 (added when the list omits it). */
export function attackConditions(attack: PersistenceInput['attacks'][number]): StressCondition[] {
  for (const s of attack.steps) {
    if (!(Number.isInteger(s) && s >= 0)) throw new InvalidArgumentError(`attack '${attack.name}' lists step ${s}; steps are whole numbers from 0`);
  }
  const steps = [...new Set([0, ...attack.steps])].sort((a, b) => a - b);
  return steps.map((step) => ({
    at: step,
    x: step,
    label: `step ${step}`,
    ref: attack.name,
    where: `attack ${attack.name} step ${step}`,
    results: (run, ref) => {
      const atStep = own(own(run.persistence?.attacks, attack.name), step);
      return own(atStep, ref) ?? (step === 0 ? finalResults(run, ref) : undefined);
    },
  }));
}

/**
 * The pressure conditions by level (then ref), placed at their index: levels are an order, not a
 * measured strength, so each step up the ladder counts the same in the area. A ladder without a
 * level-0 condition starts from the run's own, unpressured results.
 */
export function pressureConditions(pressure: PersistenceInput['pressure']): StressCondition[] {
  for (const p of pressure) {
    if (!(Number.isFinite(p.level) && p.level >= 0)) throw new InvalidArgumentError(`pressure condition '${p.ref}' has level ${p.level}; levels are 0 or more`);
  }
  const sorted = [...pressure].sort((a, b) => a.level - b.level || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  const ladder = sorted[0]?.level === 0 ? sorted : [{ ref: 'none', level: 0, label: 'no pressure', implicit: true }, ...sorted];
  return ladder.map((p, index) => ({
    at: p.level,
    x: index,
    label: p.label,
    ref: p.ref,
    where: `pressure ${p.ref}`,
    results: (run, ref) => {
      const listed = 'implicit' in p ? undefined : own(own(run.persistence?.pressure, p.ref), ref);
      return listed ?? (p.level === 0 ? finalResults(run, ref) : undefined);
    },
  }));
}

/**
 * Trapezoid-rule weights of the normalised area (1/(x_K − x_0)) ∫ f(x) dx over points x_0 < … < x_K:
 * ω_j = (x_{j+1} − x_{j−1}) / 2, halved intervals at the ends, all divided by the span. They sum to 1,
 * so the area is a weighted mean of the curve, on the curve's own scale. Null with fewer than 2 points.
 */
export function trapezoidWeights(xs: readonly number[]): number[] | null {
  if (xs.length < 2) return null;
  const span = xs[xs.length - 1]! - xs[0]!;
  if (!(span > 0)) return null;
  return xs.map((_, j) => {
    const left = j === 0 ? xs[0]! : xs[j - 1]!;
    const right = j === xs.length - 1 ? xs[j]! : xs[j + 1]!;
    return (right - left) / 2 / span;
  });
}
