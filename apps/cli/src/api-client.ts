import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@ballast/api';
import { terminalText } from '@ballast/config';
import type { FieldIssue } from '@ballast/schema';
import { CliExit, EXIT, type ExitCode } from './exit-codes.js';

export type BallastClient = ReturnType<typeof createApiClient>;

export function createApiClient(url: string) {
  return createTRPCClient<AppRouter>({ links: [httpLink({ url })] });
}

/** Field issues from an API BAD_REQUEST, with the envelope's leading `spec.` removed so paths match the file. */
export function apiIssues(error: unknown): FieldIssue[] | null {
  if (!(error instanceof TRPCClientError)) return null;
  const issues = (error.data as { issues?: FieldIssue[] | null } | undefined)?.issues;
  if (!issues) return null;
  return issues.map((i) => ({ ...i, path: i.path.startsWith('spec.') ? i.path.slice('spec.'.length) : i.path }));
}

// What the API answers when the caller has something to fix: a field issue, a workflow's non-retryable
// input failure (PRECONDITION_FAILED), an id that names nothing, a body over the limit.
const INPUT_ERRORS = new Set(['BAD_REQUEST', 'PRECONDITION_FAILED', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'UNPROCESSABLE_CONTENT']);

/** True when no answer came back at all: nothing listens, the connection broke, the name did not resolve. */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof TRPCClientError) || error.data) return false;
  for (let cause: unknown = error; cause instanceof Error; cause = (cause as { cause?: unknown }).cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EAI_AGAIN|UND_ERR_)/.test(code)) return true;
  }
  return /fetch failed/.test(error.message);
}

/** The exit code an API failure means: 3 unreachable, 2 the input was refused, 1 anything else. */
export function exitCodeFor(error: unknown): ExitCode {
  if (isUnreachable(error)) return EXIT.unreachable;
  const code = error instanceof TRPCClientError ? (error.data as { code?: unknown } | undefined)?.code : undefined;
  return typeof code === 'string' && INPUT_ERRORS.has(code) ? EXIT.invalid : EXIT.failed;
}

/** A one-line explanation for errors that are not field issues (unreachable API, not found, …), safe to print. */
export function describeApiError(error: unknown, url: string): string {
  if (isUnreachable(error)) return `cannot reach the Ballast API at ${terminalText(url)}; is 'ballast up' running?`;
  return terminalText(error instanceof Error ? error.message : String(error));
}

/** Ends a command on an API failure with the message and exit code it means. */
export function apiFailure(error: unknown, url: string, prefix = ''): CliExit {
  return new CliExit(exitCodeFor(error), `${prefix}${describeApiError(error, url)}`);
}
