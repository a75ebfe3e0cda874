/** Stable codes for every error the resolver throws, so callers branch without string matching. */
export const USER_PATH_ERROR_CODES = {
  /** Not a usable name: relative, a NUL byte, a scheme other than file://, a file URI with a host, too long. */
  invalid: 'PATH_INVALID',
  /** Nothing there (only said for names that would lie inside the roots, so it is no probe of the host). */
  notFound: 'PATH_NOT_FOUND',
  /** Resolves (symlinks and `..` followed) to somewhere outside every allowed root. */
  outsideRoots: 'PATH_OUTSIDE_ROOTS',
  /**
   * Not the kind of object asked for: a device, FIFO, socket, a directory where a file was asked for (or
   * the reverse), anything under /proc, /sys or /dev, or an object swapped while it was being checked.
   */
  notRegularFile: 'PATH_NOT_REGULAR_FILE',
  /** Inside the roots and a regular file, but this process may not open it. */
  notReadable: 'PATH_NOT_READABLE',
} as const;
export type UserPathErrorCode = (typeof USER_PATH_ERROR_CODES)[keyof typeof USER_PATH_ERROR_CODES];

const MAX_SHOWN = 300;

/**
 * How a user's string appears in a message: control characters escaped (a NUL or a terminal escape in a
 * URI must not reach a database column or a terminal raw) and cut to a readable length.
 */
export function showGiven(given: string): string {
  const escaped = given.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > MAX_SHOWN ? `${escaped.slice(0, MAX_SHOWN)}…` : escaped;
}

/**
 * Thrown when a path a user named cannot be used. The message names the field and the name as given,
 * never anything read from the file system beyond the kind of object found there.
 */
export class UserPathError extends Error {
  private constructor(
    readonly code: UserPathErrorCode,
    /** Where the name came from, e.g. `spec.datasets.traits.uri`. */
    readonly field: string,
    /** The name as the user gave it. */
    readonly given: string,
    /** The message without the field, for callers that report the field separately (API field issues). */
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'UserPathError';
  }

  static invalid(field: string, given: string, why: string): UserPathError {
    return new UserPathError(USER_PATH_ERROR_CODES.invalid, field, given, `${showGiven(given)} is not a usable path: ${why}`);
  }

  static notFound(field: string, given: string, why = 'does not exist'): UserPathError {
    return new UserPathError(USER_PATH_ERROR_CODES.notFound, field, given, `${showGiven(given)} ${why}`);
  }

  static outsideRoots(field: string, given: string, rootsSetting: string): UserPathError {
    return new UserPathError(USER_PATH_ERROR_CODES.outsideRoots, field, given, `${showGiven(given)} is outside the allowed roots (${rootsSetting})`);
  }

  static notRegularFile(field: string, given: string, found: string): UserPathError {
    return new UserPathError(USER_PATH_ERROR_CODES.notRegularFile, field, given, `${showGiven(given)} is ${found}, not a regular file`);
  }

  static notDirectory(field: string, given: string, found: string): UserPathError {
    return new UserPathError(USER_PATH_ERROR_CODES.notRegularFile, field, given, `${showGiven(given)} is ${found}, not a directory of shard files`);
  }

  static notReadable(field: string, given: string): UserPathError {
    return new UserPathError(USER_PATH_ERROR_CODES.notReadable, field, given, `${showGiven(given)} is not readable by the server`);
  }
}

export function isUserPathError(error: unknown): error is UserPathError {
  return error instanceof UserPathError;
}
