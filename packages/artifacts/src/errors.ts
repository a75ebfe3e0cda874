/** Stable codes for every error this package throws, so callers can branch without string matching. */
export const ARTIFACT_ERROR_CODES = {
  invalidKey: 'ARTIFACT_KEY_INVALID',
  outsideRoot: 'ARTIFACT_OUTSIDE_ROOT',
  notFound: 'ARTIFACT_NOT_FOUND',
  invalidJson: 'ARTIFACT_JSON_INVALID',
} as const;
export type ArtifactErrorCode = (typeof ARTIFACT_ERROR_CODES)[keyof typeof ARTIFACT_ERROR_CODES];

/** Base class: catch this to handle any artifact-store failure that is not a plain I/O error. */
export abstract class ArtifactError extends Error {
  abstract readonly code: ArtifactErrorCode;
}

/** Thrown when an artifact key is absolute, empty, or has an empty, `.`, `..` or reserved segment. */
export class InvalidArtifactKeyError extends ArtifactError {
  readonly code = ARTIFACT_ERROR_CODES.invalidKey;
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`invalid artifact key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'InvalidArtifactKeyError';
  }
}

/** Thrown when a URI or path does not lie below the store's root, or uses a scheme the store cannot serve. */
export class ArtifactOutsideRootError extends ArtifactError {
  readonly code = ARTIFACT_ERROR_CODES.outsideRoot;
  constructor(
    readonly uri: string,
    readonly rootDir: string,
  ) {
    super(`${uri} is not an artifact below ${rootDir}`);
    this.name = 'ArtifactOutsideRootError';
  }
}

/** Thrown when reading an artifact that does not exist. */
export class ArtifactNotFoundError extends ArtifactError {
  readonly code = ARTIFACT_ERROR_CODES.notFound;
  constructor(readonly key: string) {
    super(`artifact ${key} does not exist`);
    this.name = 'ArtifactNotFoundError';
  }
}

/** Thrown when an artifact read as JSON does not parse, or fails the schema the caller passed. */
export class InvalidArtifactJsonError extends ArtifactError {
  readonly code = ARTIFACT_ERROR_CODES.invalidJson;
  constructor(
    readonly key: string,
    readonly detail: string,
  ) {
    super(`artifact ${key} is not valid JSON for its schema: ${detail}`);
    this.name = 'InvalidArtifactJsonError';
  }
}
