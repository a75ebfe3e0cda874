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
