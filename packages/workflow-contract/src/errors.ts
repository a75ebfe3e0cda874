/**
 * Failure types (the `type` of an ApplicationFailure) that activities use for errors retrying cannot
 * fix: bad input, something missing, a program that failed. Activities throw them with
 * `ApplicationFailure.nonRetryable(message, type)`; the workflows' retry policies also list them in
 * `nonRetryableErrorTypes`, so one thrown as a plain ApplicationFailure is not retried either.
 */
export const ActivityErrorType = {
  /** A spec, mix document or request that does not validate. */
  invalidInput: 'InvalidInput',
  /** An experiment, arm, checkpoint or mix that the database does not hold. */
  notFound: 'NotFound',
  /** Asked too early (an arm with no mix yet). */
  notReady: 'NotReady',
  noCheckpoint: 'NoCheckpoint',
  /** A stored artifact that does not parse (an evaluation's items file). */
  corruptArtifact: 'CorruptArtifact',
  backendNotConfigured: 'BackendNotConfigured',
} as const;
export type ActivityErrorType = (typeof ActivityErrorType)[keyof typeof ActivityErrorType];

/**
 * Deterministic errors of the mixing engine (@ballast/mixing), by class name (thrown as they are) and by
 * code (wrapped by the activities): a malformed source stays malformed however often it is read. Not
 * listed: a source that changed while being read, which a retry may well read whole.
 */
export const MIXING_INPUT_ERRORS = {
  names: ['MixComponentShortError', 'MalformedSourceError', 'InvalidMixError', 'UnknownDatasetError', 'SourceDigestMismatchError', 'NativeCopyUnavailableError'],
  codes: ['MIX_COMPONENT_SHORT', 'MIX_MALFORMED_SOURCE', 'MIX_INVALID_SPEC', 'MIX_UNKNOWN_DATASET', 'MIX_SOURCE_DIGEST_MISMATCH', 'MIX_NATIVE_COPY_UNAVAILABLE'],
} as const;

/**
 * What no retry policy retries: the types above, the mixing engine's input errors, and the error class
 * names of input errors that reach the boundary unwrapped (a zod error, a JSON syntax error).
 */
export const NON_RETRYABLE_ERROR_TYPES: readonly string[] = [
  ...Object.values(ActivityErrorType),
  ...MIXING_INPUT_ERRORS.names,
  ...MIXING_INPUT_ERRORS.codes,
  'ZodError',
  'SyntaxError',
];
