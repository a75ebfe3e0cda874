import type { ArmPhase as ArmPhaseName, ExperimentPhase as ExperimentPhaseName } from '@ballast/schema';

/**
 * The phases as constants for workflow code, which must not load zod. The mapped `satisfies` ties each
 * object to the zod vocabulary in @ballast/schema: a phase added or renamed on one side and not the
 * other fails to compile, so the query, the search attribute BallastPhase, the database, the API and the
 * CLI cannot drift apart (they once said RUNNING and TRAINING for the same arm).
 */
export const ExperimentPhase = {
  PENDING: 'PENDING',
  MIXING: 'MIXING',
  TRAINING: 'TRAINING',
  EVALUATING: 'EVALUATING',
  REPORTING: 'REPORTING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
} as const satisfies { readonly [P in ExperimentPhaseName]: P };
export type ExperimentPhase = (typeof ExperimentPhase)[keyof typeof ExperimentPhase];

export const ArmPhase = {
  PENDING: 'PENDING',
  MIXING: 'MIXING',
  TRAINING: 'TRAINING',
  EVALUATING: 'EVALUATING',
  DONE: 'DONE',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
} as const satisfies { readonly [P in ArmPhaseName]: P };
export type ArmPhase = (typeof ArmPhase)[keyof typeof ArmPhase];
