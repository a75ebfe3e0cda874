import { createHash } from 'node:crypto';
import { makeId, type IdKind } from '@ballast/schema';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A content-derived id: the same inputs always give the same id, which makes activities idempotent. */
export function derivedId(kind: IdKind, ...parts: string[]): string {
  return makeId(kind, sha256Hex(parts.join('\u0000')).slice(0, 20));
}
