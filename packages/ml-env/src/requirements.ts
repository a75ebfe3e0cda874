/** A package a framework or harness needs: distribution name (pip), module name (import), wanted version. */
export interface EnvironmentRequirement {
  readonly dist: string;
  readonly module: string;
  /** `0.10` (or `0.10.*`) accepts any 0.10.x; a full `1.16.0` must match exactly. Absent: any version. */
  readonly version?: string;
}

const TORCH: EnvironmentRequirement = { dist: 'torch', module: 'torch' };
const TRANSFORMERS: EnvironmentRequirement = { dist: 'transformers', module: 'transformers' };

/** What each training framework needs in its environment (its own package first). */
export const FRAMEWORK_REQUIREMENTS = {
  trl: [{ dist: 'trl', module: 'trl' }, TRANSFORMERS, TORCH, { dist: 'accelerate', module: 'accelerate' }],
  verl: [{ dist: 'verl', module: 'verl' }],
  openrlhf: [{ dist: 'openrlhf', module: 'openrlhf' }],
} as const satisfies Record<string, readonly EnvironmentRequirement[]>;
export type FrameworkName = keyof typeof FRAMEWORK_REQUIREMENTS;

/** What each evaluation harness needs in its environment (its own package first). */
export const HARNESS_REQUIREMENTS = {
  inspect: [{ dist: 'inspect-ai', module: 'inspect_ai' }, TRANSFORMERS, TORCH],
  'lm-eval': [{ dist: 'lm-eval', module: 'lm_eval' }, TRANSFORMERS, TORCH],
} as const satisfies Record<string, readonly EnvironmentRequirement[]>;
export type HarnessName = keyof typeof HARNESS_REQUIREMENTS;

/** `requirements` with `version` asked of the first one (the framework's or harness's own package). */
export function withVersion(requirements: readonly EnvironmentRequirement[], version: string | undefined): EnvironmentRequirement[] {
  return requirements.map((r, i) => (i === 0 && version ? { ...r, version } : r));
}

/**
 * Whether an installed version satisfies a wanted one. A wanted version with fewer than three release
 * parts (`0.10`, or `0.10.*`) is a prefix by parts: it accepts `0.10`, `0.10.2`, not `0.100.1`. A full
 * version must be equal; a local suffix on the installed one (`2.15.0+cpu`) is ignored unless asked for.
 */
export function versionMatches(wanted: string, found: string): boolean {
  const want = wanted.trim().replace(/\.\*$/, '');
  const have = want.includes('+') ? found.trim() : found.trim().replace(/\+.*$/, '');
  const wantParts = want.split('.');
  if (wantParts.length >= 3 || /[^0-9.]/.test(want)) return have.toLowerCase() === want.toLowerCase();
  const haveParts = have.split('.');
  return wantParts.every((part, i) => haveParts[i] === part);
}
