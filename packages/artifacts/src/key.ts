import { InvalidArtifactKeyError } from './errors.js';

/**
 * Temporary files of in-flight atomic writes start with this; keys may not use it, so `list` can skip
 * half-written files without guessing.
 */
export const TEMP_PREFIX = '.ballast-tmp-';

/**
 * Checks that `key` is a relative slash path that cannot escape the store root, and returns it.
 * Validation is lexical on purpose: the same key must mean the same thing on every store (file, S3, GCS).
 */
export function validateArtifactKey(key: string): string {
  if (key.length === 0) throw new InvalidArtifactKeyError(key, 'empty');
  if (key.startsWith('/')) throw new InvalidArtifactKeyError(key, 'absolute; keys are relative to the store root');
  if (key.includes('\\')) throw new InvalidArtifactKeyError(key, 'contains a backslash; use "/"');
  if (key.includes('\0')) throw new InvalidArtifactKeyError(key, 'contains a NUL byte');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(key)) throw new InvalidArtifactKeyError(key, 'looks like a URI; pass a key');
  for (const segment of key.split('/')) {
    if (segment === '') throw new InvalidArtifactKeyError(key, 'has an empty segment');
    if (segment === '.' || segment === '..') throw new InvalidArtifactKeyError(key, `has a "${segment}" segment`);
    if (segment.startsWith(TEMP_PREFIX)) throw new InvalidArtifactKeyError(key, `segment uses reserved prefix ${TEMP_PREFIX}`);
  }
  return key;
}

/**
 * A list prefix is a key prefix in the object-store sense (`mixes/mix_a` matches `mixes/mix_abc/x`), so
 * it may end with `/` or be empty; otherwise it obeys the key rules.
 */
export function validateArtifactPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  validateArtifactKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
  return prefix;
}
