import { z } from 'zod';

/** An enum whose error names the allowed values and what was given. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) => `must be one of ${values.map((v) => `'${v}'`).join(', ')} (got ${JSON.stringify(issue.input)})`,
  });
}

/** The beneficial traits the study exercises (BRIEF §1). */
export const TRAITS = [
  'honesty',
  'epistemic_humility',
  'transparency',
  'corrigibility',
  'fairness',
  'wellbeing',
] as const;
export const Trait = oneOf(TRAITS);
export type Trait = z.infer<typeof Trait>;

/** Domains of the trait conversations in the training data. */
export const TRAINING_DOMAINS = [
  'healthcare',
  'education',
  'science',
  'law',
  'engineering',
  'economics',
  'business',
] as const;
/** Domains that only benchmarks cover, so that out-of-domain generalisation can show. */
export const HELD_OUT_DOMAINS = ['journalism', 'public_policy', 'personal_finance'] as const;
export const DOMAINS = [...TRAINING_DOMAINS, ...HELD_OUT_DOMAINS] as const;
export const Domain = oneOf(DOMAINS);
export type Domain = z.infer<typeof Domain>;

/** Benchmark categories: the paper's safety categories plus helpfulness and capability. */
export const BENCHMARK_CATEGORIES = [
  'deception',
  'honesty',
  'sycophancy',
  'reward_hacking',
  'specification_compliance',
  'health_mental_health',
  'fairness',
  'corrigibility',
  'calibration',
  'helpfulness',
  'capability',
] as const;
export const BenchmarkCategory = oneOf(BENCHMARK_CATEGORIES);
export type BenchmarkCategory = z.infer<typeof BenchmarkCategory>;

/** Job states, kept distinct the way users of peer tools ask for (BRIEF §3). */
export const JOB_STATES = [
  'QUEUED',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'PREEMPTED',
  'CANCELLED',
  'LOST',
] as const;
export const JobState = oneOf(JOB_STATES);
export type JobState = z.infer<typeof JobState>;
export const TERMINAL_JOB_STATES: readonly JobState[] = [
  'SUCCEEDED',
  'FAILED',
  'PREEMPTED',
  'CANCELLED',
  'LOST',
];
export function isTerminalJobState(state: JobState): boolean {
  return TERMINAL_JOB_STATES.includes(state);
}

export const JOB_KINDS = ['train', 'eval', 'attack'] as const;
export const JobKind = oneOf(JOB_KINDS);
export type JobKind = z.infer<typeof JobKind>;

export const BACKEND_KINDS = ['local', 'slurm', 'ray'] as const;
export const BackendKind = oneOf(BACKEND_KINDS);
export type BackendKind = z.infer<typeof BackendKind>;

export const EXPERIMENT_PHASES = [
  'PENDING',
  'MIXING',
  'TRAINING',
  'EVALUATING',
  'REPORTING',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
] as const;
export const ExperimentPhase = oneOf(EXPERIMENT_PHASES);
export type ExperimentPhase = z.infer<typeof ExperimentPhase>;

/**
 * An arm's phases: the same words in the arm workflow's query and search attribute (BallastPhase), the
 * database, the API and the CLI.
 */
export const ARM_PHASES = ['PENDING', 'MIXING', 'TRAINING', 'EVALUATING', 'DONE', 'FAILED', 'CANCELLED'] as const;
export const ArmPhase = oneOf(ARM_PHASES);
export type ArmPhase = z.infer<typeof ArmPhase>;

/** Values of a record's `tags.kind`: a regular RL prompt or a trait conversation. */
export const TAG_KINDS = ['regular', 'trait'] as const;
export const TagKind = oneOf(TAG_KINDS);
export type TagKind = z.infer<typeof TagKind>;

/**
 * The allowed value closest to `value`, for a "did you mean": one that starts with it or it starts with
 * (`health` → `healthcare`), else the one fewest edits away (at most a third of the longer word, and
 * at least one edit allowed), compared case-insensitively; null when nothing is close.
 */
export function closestValue(value: string, allowed: readonly string[]): string | null {
  const v = value.toLowerCase();
  if (v.length === 0) return null;
  let best: string | null = null;
  let bestScore = Infinity;
  for (const candidate of allowed) {
    const c = candidate.toLowerCase();
    const score = c.startsWith(v) || v.startsWith(c) ? 0.5 : editDistance(v, c);
    if (score <= Math.max(1, Math.floor(Math.max(v.length, c.length) / 3)) && score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
