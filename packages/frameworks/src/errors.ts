import { formatFieldIssues, type FieldIssue } from '@ballast/schema';
import type { Framework } from './framework.js';

/** Thrown when a training spec or render options fail validation; `issues` name each bad field. */
export class FrameworkSpecError extends Error {
  readonly code = 'FRAMEWORK_SPEC_INVALID';
  override readonly name = 'FrameworkSpecError';

  private constructor(
    message: string,
    readonly issues: readonly FieldIssue[],
  ) {
    super(message);
  }

  static fromIssues(what: string, issues: readonly FieldIssue[]): FrameworkSpecError {
    return new FrameworkSpecError(`invalid ${what}:\n${formatFieldIssues(issues)}`, issues);
  }
}

export const RENDER_ERROR_CODES = {
  datasetFormatMismatch: 'FRAMEWORK_DATASET_FORMAT_MISMATCH',
  algorithmUnsupported: 'FRAMEWORK_ALGORITHM_UNSUPPORTED',
  optionUnsupported: 'FRAMEWORK_OPTION_UNSUPPORTED',
  optionRequired: 'FRAMEWORK_OPTION_REQUIRED',
  valueNotRenderable: 'FRAMEWORK_VALUE_NOT_RENDERABLE',
} as const;
export type RenderErrorCode = (typeof RENDER_ERROR_CODES)[keyof typeof RENDER_ERROR_CODES];

/**
 * Thrown when a valid spec cannot be rendered for the chosen framework: the wrong dataset format, an
 * algorithm or option the framework lacks, or a value its command-line grammar cannot carry safely.
 */
export class FrameworkRenderError extends Error {
  override readonly name = 'FrameworkRenderError';

  private constructor(
    readonly code: RenderErrorCode,
    readonly framework: Framework,
    /** The spec field (dotted path) the problem is in. */
    readonly field: string,
    problem: string,
  ) {
    super(`${framework}: ${field}: ${problem}`);
  }

  static datasetFormatMismatch(framework: Framework, expected: string, got: string): FrameworkRenderError {
    return new FrameworkRenderError(
      RENDER_ERROR_CODES.datasetFormatMismatch,
      framework,
      'dataset.format',
      `${framework} reads '${expected}' shards, got '${got}' (export the mix in the ${framework} format)`,
    );
  }

  static algorithmUnsupported(framework: Framework, algorithm: string, supported: readonly string[]): FrameworkRenderError {
    return new FrameworkRenderError(
      RENDER_ERROR_CODES.algorithmUnsupported,
      framework,
      'algorithm',
      `${framework} does not support '${algorithm}' (supported: ${supported.map((a) => `'${a}'`).join(', ')})`,
    );
  }

  static optionUnsupported(framework: Framework, field: string, why: string): FrameworkRenderError {
    return new FrameworkRenderError(RENDER_ERROR_CODES.optionUnsupported, framework, field, why);
  }

  static optionRequired(framework: Framework, field: string, why: string): FrameworkRenderError {
    return new FrameworkRenderError(RENDER_ERROR_CODES.optionRequired, framework, field, `required: ${why}`);
  }

  static valueNotRenderable(framework: Framework, field: string, why: string): FrameworkRenderError {
    return new FrameworkRenderError(RENDER_ERROR_CODES.valueNotRenderable, framework, field, why);
  }
}

export const VERSION_ERROR_CODES = {
  unsupported: 'FRAMEWORK_VERSION_UNSUPPORTED',
  invalid: 'FRAMEWORK_VERSION_INVALID',
} as const;
export type VersionErrorCode = (typeof VERSION_ERROR_CODES)[keyof typeof VERSION_ERROR_CODES];

/**
 * Thrown when a configured framework version is not a plain release version, or falls where the
 * adapter cannot tell which command-line dialect it speaks.
 */
export class FrameworkVersionError extends Error {
  override readonly name = 'FrameworkVersionError';

  private constructor(
    readonly code: VersionErrorCode,
    readonly framework: Framework,
    readonly version: string,
    /** The version ranges the adapter renders for, e.g. `<=0.10.0`. */
    readonly supportedRanges: readonly string[],
    message: string,
  ) {
    super(message);
  }

  static unsupported(framework: Framework, version: string, supportedRanges: readonly string[], why: string): FrameworkVersionError {
    return new FrameworkVersionError(
      VERSION_ERROR_CODES.unsupported,
      framework,
      version,
      supportedRanges,
      `${framework} ${version} is not supported: ${why}; supported: ${supportedRanges.join(' or ')}`,
    );
  }

  static invalid(framework: Framework, version: string, supportedRanges: readonly string[]): FrameworkVersionError {
    return new FrameworkVersionError(
      VERSION_ERROR_CODES.invalid,
      framework,
      version,
      supportedRanges,
      `${framework} version ${JSON.stringify(version)} is not a release version MAJOR.MINOR.PATCH; supported: ${supportedRanges.join(' or ')}`,
    );
  }
}
