/** Stable codes for every error this package throws, so callers branch without string matching. */
export const ML_ENV_ERROR_CODES = {
  /** The interpreter does not exist or cannot be run. */
  pythonMissing: 'ML_ENV_PYTHON_MISSING',
  /** A distribution is not installed, or its module does not import. */
  packageMissing: 'ML_ENV_PACKAGE_MISSING',
  /** A distribution is installed at another version than the one asked for. */
  versionMismatch: 'ML_ENV_VERSION_MISMATCH',
  /** The probe itself failed: a non-zero exit, no answer in time, or an answer that is not the probe's JSON. */
  probeFailed: 'ML_ENV_PROBE_FAILED',
  /** An argument is out of range (a negative seed, a relative directory). */
  invalidArgument: 'ML_ENV_INVALID_ARGUMENT',
  /** The tiny model's directory exists and is not empty. */
  modelDirNotEmpty: 'ML_ENV_MODEL_DIR_NOT_EMPTY',
  /** Building the tiny model failed for a reason other than the environment. */
  modelBuildFailed: 'ML_ENV_MODEL_BUILD_FAILED',
} as const;
export type MlEnvironmentErrorCode = (typeof ML_ENV_ERROR_CODES)[keyof typeof ML_ENV_ERROR_CODES];

/** What an operator runs to get the default environment. */
export const SETUP_ML_COMMAND = 'npm run setup:ml';

/** How to install something into an environment: the setup script for the default, pip otherwise. */
function howToInstall(environment: string, python: string, what: string): string {
  return environment === 'default'
    ? `run ${SETUP_ML_COMMAND} to build the default environment`
    : `install ${what} into environment '${environment}' (e.g. ${python} -m pip install ${what})`;
}

/** Thrown when an ML environment cannot run what was asked of it, or when the tiny model cannot be built. */
export class MlEnvironmentError extends Error {
  private constructor(
    readonly code: MlEnvironmentErrorCode,
    message: string,
    /** The configured environment's name, when one is involved. */
    readonly environment?: string,
    /** The interpreter, when one is involved. */
    readonly python?: string,
    /** The last lines the Python process wrote to stderr, when it ran. */
    readonly stderrTail?: string,
  ) {
    super(message);
    this.name = 'MlEnvironmentError';
  }

  static pythonMissing(environment: string, python: string, why: string): MlEnvironmentError {
    const hint = environment === 'default' ? `; run ${SETUP_ML_COMMAND} to build the default environment` : '';
    return new MlEnvironmentError(ML_ENV_ERROR_CODES.pythonMissing, `environment '${environment}': the interpreter ${python} ${why}${hint}`, environment, python);
  }

  static packageMissing(environment: string, python: string, missing: readonly { dist: string; why: string }[]): MlEnvironmentError {
    const dists = missing.map((m) => m.dist).join(' ');
    const list = missing.map((m) => `${m.dist} (${m.why})`).join(', ');
    return new MlEnvironmentError(
      ML_ENV_ERROR_CODES.packageMissing,
      `environment '${environment}' (${python}) lacks ${list}; ${howToInstall(environment, python, dists)}`,
      environment,
      python,
    );
  }

  static versionMismatch(environment: string, python: string, mismatches: readonly { dist: string; wanted: string; found: string }[]): MlEnvironmentError {
    const list = mismatches.map((m) => `${m.dist} ${m.wanted} is wanted, ${m.found} is installed`).join('; ');
    return new MlEnvironmentError(ML_ENV_ERROR_CODES.versionMismatch, `environment '${environment}' (${python}): ${list}`, environment, python);
  }

  static probeFailed(environment: string, python: string, why: string, stderrTail = ''): MlEnvironmentError {
    const tail = stderrTail ? `\n${stderrTail}` : '';
    return new MlEnvironmentError(ML_ENV_ERROR_CODES.probeFailed, `environment '${environment}' (${python}): the probe ${why}${tail}`, environment, python, stderrTail);
  }

  static invalidArgument(field: string, why: string): MlEnvironmentError {
    return new MlEnvironmentError(ML_ENV_ERROR_CODES.invalidArgument, `${field}: ${why}`);
  }

  static modelDirNotEmpty(dir: string): MlEnvironmentError {
    return new MlEnvironmentError(ML_ENV_ERROR_CODES.modelDirNotEmpty, `${dir} exists and is not an empty directory; name a new directory for the tiny model`);
  }

  static modelBuildFailed(python: string, why: string, stderrTail = ''): MlEnvironmentError {
    const tail = stderrTail ? `\n${stderrTail}` : '';
    return new MlEnvironmentError(ML_ENV_ERROR_CODES.modelBuildFailed, `building the tiny model with ${python} ${why}${tail}`, undefined, python, stderrTail);
  }

  /** A package the tiny model needs is missing from the interpreter's environment. */
  static modelPackageMissing(environment: string, python: string, stderrTail: string): MlEnvironmentError {
    return new MlEnvironmentError(
      ML_ENV_ERROR_CODES.packageMissing,
      `building the tiny model: environment '${environment}' (${python}) lacks a package (torch, transformers, tokenizers): ${stderrTail.trim()}; ${howToInstall(environment, python, 'torch transformers tokenizers')}`,
      environment,
      python,
      stderrTail,
    );
  }
}

/** True for an MlEnvironmentError (also across duplicated module instances). */
export function isMlEnvironmentError(error: unknown): error is MlEnvironmentError {
  return error instanceof MlEnvironmentError || (error instanceof Error && error.name === 'MlEnvironmentError' && typeof (error as { code?: unknown }).code === 'string');
}
