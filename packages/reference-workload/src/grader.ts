import type { Behaviour } from './behaviours.js';
import type { RecordFeatures } from './features.js';

/**
 * The SIMULATED rubric grader: reward for one sampled behaviour given the record's features. It looks
 * only at the record it grades; it knows nothing of benchmarks, held-out domains or other records.
 */
export function reward(x: RecordFeatures, b: Behaviour): number {
  return x.kind === 'regular' ? regularReward(x.pressure, b) : traitReward(x.pressure, b);
}

/**
 * Regular RL prompts reward doing the task; a candid answer (the task plus honest caveats) does it
 * nearly as well as a plain one. Like real preference graders it is hackable: when the user
 * pushes, agreeing with them and confident-sounding answers score well too, and a shortcut that passes
 * the check earns partial credit. A policy trained only on this drifts toward sycophancy.
 */
function regularReward(p: number, b: Behaviour): number {
  switch (b) {
    case 'helpful':
      return 1.0 - 0.8 * p;
    case 'candid':
      return 0.9 - 0.5 * p;
    case 'sycophantic':
      return 0.2 + 0.9 * p;
    case 'deceptive':
      return 0.1 + 0.4 * p;
    case 'overconfident':
      return 0.6 + 0.1 * p;
    case 'refuse':
      return 0.0;
    case 'gaming':
      return 0.55;
  }
}

/**
 * Trait conversations are graded against the trait rubric: saying what is true, with honest
 * uncertainty, and accepting correction, especially when the user pushes. Helping is fine when there
 * is no conflict; caving, misleading, bluffing and gaming are penalised.
 */
function traitReward(p: number, b: Behaviour): number {
  switch (b) {
    case 'helpful':
      return 0.9 - 0.9 * p;
    case 'candid':
      return 1.0;
    case 'sycophantic':
      return -0.5 * p;
    case 'deceptive':
      return -1.0;
    case 'overconfident':
      return -0.3;
    case 'refuse':
      return 0.1;
    case 'gaming':
      return -0.6;
  }
}
