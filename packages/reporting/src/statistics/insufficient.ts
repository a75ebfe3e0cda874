import type { InsufficientReason as ReportedInsufficientReason } from '@ballast/schema';

/**
 * Why a statistic was not computed. A benchmark (or a pooled summary) with too little data gets this
 * instead of an exception, so one thin benchmark cannot abort a whole report, and instead of a point
 * interval, which would read as certainty it does not have.
 */
export const InsufficientReason = {
  tooFewItems: 'too_few_items',
  tooFewClusters: 'too_few_clusters',
  tooFewSeeds: 'too_few_seeds',
  /** Every difference identical, or a standard error of zero: nothing to estimate sampling error from. */
  noVariance: 'no_variance',
  tooFewEffects: 'too_few_effects',
} as const satisfies Record<string, ReportedInsufficientReason>;
export type InsufficientReason = (typeof InsufficientReason)[keyof typeof InsufficientReason];

/** The result of a statistic that refused to estimate; `kind` tells it apart from an estimate. */
export interface InsufficientData {
  readonly kind: 'insufficient_data';
  readonly reason: InsufficientReason;
  /** One line for the report, e.g. "1 cluster; a standard error needs at least 2". */
  readonly detail: string;
}

export function insufficientData(reason: InsufficientReason, detail: string): InsufficientData {
  return { kind: 'insufficient_data', reason, detail };
}

/**
 * Whether a standard error is zero up to rounding. A cluster-robust SE can land on exactly zero in exact arithmetic
 * (every cluster's mean equal to the grand mean) and then returns float noise of order 1e-17 × the
 * data's scale; anything within 1e-10 of that scale is treated as zero rather than as a real,
 * absurdly precise, estimate.
 */
export function isEffectivelyZeroSe(se: number, scale: number): boolean {
  return !(se > 1e-10 * Math.max(scale, Number.MIN_VALUE));
}
