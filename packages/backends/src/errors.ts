/** Stable codes for every error this package throws, so callers can branch without string matching. */
export const BACKEND_ERROR_CODES = {
  invalidRequest: 'BACKEND_INVALID_REQUEST',
  wrongBackend: 'BACKEND_WRONG_HANDLE',
  launchFailed: 'BACKEND_LAUNCH_FAILED',
  cancelIncomplete: 'BACKEND_CANCEL_INCOMPLETE',
  corruptState: 'BACKEND_CORRUPT_STATE',
  unreachable: 'BACKEND_UNREACHABLE',
  cancelTimeout: 'BACKEND_CANCEL_TIMEOUT',
  invalidSshOptions: 'BACKEND_INVALID_SSH_OPTIONS',
} as const;
export type BackendErrorCode = (typeof BACKEND_ERROR_CODES)[keyof typeof BACKEND_ERROR_CODES];

/** Base class: catch this to handle any backend failure that is not a plain I/O error. */
export abstract class BackendError extends Error {
  abstract readonly code: BackendErrorCode;
}

/** Thrown when a submit request is malformed (empty argv, relative cwd, NUL bytes, bad resources…); retrying cannot fix it. */
export class InvalidSubmitRequestError extends BackendError {
  readonly code = BACKEND_ERROR_CODES.invalidRequest;
  constructor(readonly issues: readonly string[]) {
    super(`invalid submit request: ${issues.join('; ')}`);
    this.name = 'InvalidSubmitRequestError';
  }
}

/** Thrown when a handle is given to a backend that did not issue it, or its id does not match its key. */
export class WrongBackendHandleError extends BackendError {
  readonly code = BACKEND_ERROR_CODES.wrongBackend;
  constructor(
    readonly expected: string,
    readonly handle: { backend: string; backendJobId: string; idempotencyKey: string },
  ) {
    super(`handle ${handle.backend}/${handle.backendJobId} does not belong to the ${expected} backend`);
    this.name = 'WrongBackendHandleError';
  }
}

/** Thrown when the backend could not start a job's launcher at all (the claim is released for a retry). */
export class LaunchFailedError extends BackendError {
  readonly code = BACKEND_ERROR_CODES.launchFailed;
  constructor(
    readonly idempotencyKey: string,
    readonly detail: string,
  ) {
    super(`could not launch job ${idempotencyKey}: ${detail}`);
    this.name = 'LaunchFailedError';
  }
}

/** Thrown when processes of a cancelled job are still alive after SIGKILL and the wait that follows it. */
export class CancelIncompleteError extends BackendError {
  readonly code = BACKEND_ERROR_CODES.cancelIncomplete;
  constructor(
    readonly backendJobId: string,
    readonly survivors: readonly number[],
  ) {
    super(`job ${backendJobId}: processes ${survivors.join(', ')} survived SIGKILL`);
    this.name = 'CancelIncompleteError';
  }
}

/** Thrown when a backend's own state file cannot be parsed; a human has to look at it. */
export class CorruptBackendStateError extends BackendError {
  readonly code = BACKEND_ERROR_CODES.corruptState;
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`backend state file ${path} is corrupt: ${detail}`);
    this.name = 'CorruptBackendStateError';
  }
}

/**
 * Thrown when a backend's control plane could not be asked (network error, timeout, 5xx, an answer that
 * is not the backend's). It says nothing about the job: a submit that ends with it may or may not have
 * created the job, which the lookup by key before the next submit settles.
 */
export class BackendUnreachableError extends BackendError {
  readonly code = BACKEND_ERROR_CODES.unreachable;
  constructor(
    readonly address: string,
    readonly detail: string,
  ) {
    super(`backend at ${address} is unreachable: ${detail}`);
    this.name = 'BackendUnreachableError';
  }
}

/** Thrown when a cancelled job has not reached a terminal state within the cancel deadline. */
export class CancelTimeoutError extends BackendError {
  readonly code = BACKEND_ERROR_CODES.cancelTimeout;
  constructor(
    readonly backendJobId: string,
    readonly lastStatus: string,
    readonly waitedMs: number,
  ) {
    super(`job ${backendJobId} is still ${lastStatus} ${waitedMs} ms after it was cancelled`);
    this.name = 'CancelTimeoutError';
  }
}

/** Thrown when the SSH settings for reaching a Slurm login node are unsafe or malformed (each issue names its option). */
export class InvalidSshOptionsError extends BackendError {
  readonly code = BACKEND_ERROR_CODES.invalidSshOptions;
  constructor(readonly issues: readonly string[]) {
    super(`invalid ssh options: ${issues.join('; ')}`);
    this.name = 'InvalidSshOptionsError';
  }
}
