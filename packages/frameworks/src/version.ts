/** A release version MAJOR.MINOR.PATCH; pre-releases and local builds are not accepted. */
export interface ReleaseVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

const RELEASE = /^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

/** Parses `1.2.3` (or `v1.2.3`); null for anything else, so callers decide how to report it. */
export function parseReleaseVersion(text: string): ReleaseVersion | null {
  const m = RELEASE.exec(text.trim());
  if (m === null) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareVersions(a: ReleaseVersion, b: ReleaseVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}
