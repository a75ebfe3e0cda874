// Types of setup-ml.mjs (a plain module, so that it runs before anything is built).

export declare const LOCK_FILE: string;
export declare const MARKER_FILE: string;
export declare const IMPORT_CHECK: string;

/** Thrown when a step of the setup fails; `step` names it, `logTail` holds the end of the tool's output. */
export declare class MlSetupError extends Error {
  readonly code: 'ML_SETUP_FAILED';
  readonly step: string;
  readonly logTail: string;
  constructor(step: string, message: string, logTail?: string);
}

export interface MlVenvPaths {
  readonly venv: string;
  readonly python: string;
  readonly marker: string;
  readonly wheels: string;
  readonly log: string;
  readonly busy: string;
}
export declare function mlVenvPaths(toolsDir: string): MlVenvPaths;

export interface LockRequirement {
  readonly name: string;
  readonly version: string;
  readonly line: string;
}
export declare function canonicalName(name: string): string;
export declare function parseLock(text: string): LockRequirement[];
export declare function distributionFile(file: string): { name: string; version: string } | null;
export declare function missingWheels(requirements: readonly LockRequirement[], wheelDir: string): LockRequirement[];
export declare function diskBytes(path: string): number;
export declare function formatBytes(bytes: number): string;

export interface EnsureMlVenvOptions {
  readonly toolsDir: string;
  /** Default: this package's requirements/ml.lock. */
  readonly lockFile?: string;
  /** The interpreter the venv is made with; default `python3`. */
  readonly basePython?: string;
  /** Python code the finished venv must run; default `import trl, inspect_ai, lm_eval`. */
  readonly importCheck?: string;
  /** Progress lines; default stderr. */
  readonly log?: (line: string) => void;
  /** Installs Debian packages (python3-venv) when the base Python lacks the venv module. */
  readonly installSystemPackages?: (packages: string[]) => void | Promise<void>;
}

export interface EnsureMlVenvResult {
  readonly action: 'none' | 'adopted' | 'built';
  readonly venv: string;
  readonly python: string;
  readonly lockSha256: string;
  readonly seconds: number;
  readonly venvBytes?: number;
  readonly downloadedFiles?: number;
  readonly downloadedBytes?: number;
  readonly wheelBytes?: number;
  readonly pythonVersion?: string;
}
export declare function ensureMlVenv(options: EnsureMlVenvOptions): Promise<EnsureMlVenvResult>;
