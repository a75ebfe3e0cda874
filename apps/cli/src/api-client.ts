import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@ballast/api';
import type { FieldIssue } from '@ballast/schema';

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

/** A one-line explanation for errors that are not field issues (unreachable API, not found, …). */
export function describeApiError(error: unknown, url: string): string {
  if (error instanceof TRPCClientError) {
    const cause = (error.cause as { code?: string } | undefined)?.code;
    if (cause === 'ECONNREFUSED' || /fetch failed/.test(error.message)) {
      return `cannot reach the Ballast API at ${url}; is 'ballast up' running?`;
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
