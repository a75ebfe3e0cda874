import { createHash } from 'node:crypto';

/**
 * Ray's submission id for an idempotency key. Ray puts the id in URL paths, actor names and log file names,
 * so only `[A-Za-z0-9_-]` is kept; the hash of the exact key keeps `a/b` and `a_b` apart. The `ballast-`
 * prefix keeps it from ever looking like a Ray driver job id (pure hex), which the same endpoints accept.
 */
export function raySubmissionId(idempotencyKey: string): string {
  const readable = idempotencyKey.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  const hash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16);
  return `ballast-${readable}-${hash}`;
}
