/** Stable codes for the errors this package throws; callers switch on these, not on messages. */
export const ReportingErrorCode = {
  itemSetMismatch: 'REPORT_ITEM_SET_MISMATCH',
  duplicateItem: 'REPORT_DUPLICATE_ITEM',
  clusterMismatch: 'REPORT_CLUSTER_MISMATCH',
  tooFewItems: 'REPORT_TOO_FEW_ITEMS',
  invalidArgument: 'REPORT_INVALID_ARGUMENT',
  unknownArm: 'REPORT_UNKNOWN_ARM',
  benchmarkMismatch: 'REPORT_BENCHMARK_MISMATCH',
} as const;
export type ReportingErrorCode = (typeof ReportingErrorCode)[keyof typeof ReportingErrorCode];

/** Base class: every error this package throws carries a stable `code`. */
export abstract class ReportingError extends Error {
  abstract readonly code: ReportingErrorCode;
}

/** Thrown when treatment and control results do not cover the same items, so they cannot be paired. */
export class ItemSetMismatchError extends ReportingError {
  readonly code = ReportingErrorCode.itemSetMismatch;
  constructor(
    /** Item ids only the treatment has (at most 10 listed). */
    readonly onlyInTreatment: readonly string[],
    /** Item ids only the control has (at most 10 listed). */
    readonly onlyInControl: readonly string[],
    readonly missingCounts: { readonly treatment: number; readonly control: number },
  ) {
    super(
      `treatment and control results cover different items: ${missingCounts.treatment} only in treatment ` +
        `(${onlyInTreatment.join(', ') || '-'}), ${missingCounts.control} only in control (${onlyInControl.join(', ') || '-'})`,
    );
    this.name = 'ItemSetMismatchError';
  }
}

/** Thrown when one arm's results list the same item id twice. */
export class DuplicateItemError extends ReportingError {
  readonly code = ReportingErrorCode.duplicateItem;
  constructor(
    readonly side: 'treatment' | 'control',
    readonly itemId: string,
  ) {
    super(`${side} results list item '${itemId}' more than once`);
    this.name = 'DuplicateItemError';
  }
}

/** Thrown when the two arms put the same item in different clusters. */
export class ClusterMismatchError extends ReportingError {
  readonly code = ReportingErrorCode.clusterMismatch;
  constructor(
    readonly itemId: string,
    readonly treatmentCluster: string,
    readonly controlCluster: string,
  ) {
    super(`item '${itemId}' is in cluster '${treatmentCluster}' for treatment but '${controlCluster}' for control`);
    this.name = 'ClusterMismatchError';
  }
}

/** Thrown when there are fewer than two items (or clusters) to estimate a standard error from. */
export class TooFewItemsError extends ReportingError {
  readonly code = ReportingErrorCode.tooFewItems;
  constructor(
    readonly units: number,
    readonly unit: 'items' | 'clusters',
  ) {
    super(`a confidence interval needs at least 2 ${unit}; got ${units}`);
    this.name = 'TooFewItemsError';
  }
}

/** Thrown when a statistical function is called outside its domain (e.g. a probability of 1.5). */
export class InvalidArgumentError extends ReportingError {
  readonly code = ReportingErrorCode.invalidArgument;
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidArgumentError';
  }
}

/** Thrown when a comparison names an arm for which no results were given. */
export class UnknownArmError extends ReportingError {
  readonly code = ReportingErrorCode.unknownArm;
  constructor(
    readonly arm: string,
    readonly known: readonly string[],
  ) {
    super(`comparison names arm '${arm}', but no results were given for it (have: ${known.join(', ') || 'none'})`);
    this.name = 'UnknownArmError';
  }
}

/** Thrown when the two arms describe the same benchmark ref differently (category, metric or direction). */
export class BenchmarkMismatchError extends ReportingError {
  readonly code = ReportingErrorCode.benchmarkMismatch;
  constructor(
    readonly benchmark: string,
    readonly field: string,
  ) {
    super(`benchmark '${benchmark}' has a different ${field} in treatment and control results`);
    this.name = 'BenchmarkMismatchError';
  }
}
