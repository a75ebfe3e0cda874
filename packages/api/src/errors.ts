import { randomBytes } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { toFieldIssues, type FieldIssue } from '@ballast/schema';
import type { z } from 'zod';

/** Thrown (as a TRPCError cause) when input is invalid; carries the field paths the client prints. */
export class InputIssuesError extends Error {
  readonly code = 'INPUT_INVALID';
  constructor(readonly issues: readonly FieldIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
    this.name = 'InputIssuesError';
  }
}

export function badRequest(issues: readonly FieldIssue[]): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message: issues.map((i) => `${i.path}: ${i.message}`).join('\n'), cause: new InputIssuesError(issues) });
}

/** Field issues of a tRPC error cause, whether it came from our checks or from tRPC's input parser. */
export function issuesOf(cause: unknown): FieldIssue[] | null {
  if (cause instanceof InputIssuesError) return [...cause.issues];
  const maybeZod = cause as { issues?: z.core.$ZodIssue[]; name?: string } | undefined;
  if (maybeZod && Array.isArray(maybeZod.issues)) return toFieldIssues(maybeZod.issues);
  return null;
}

const errorIds = new WeakMap<object, string>();

/**
 * The id a server-side failure is known by: the client gets it instead of the failure's text, and the
 * server log has it beside the full error. The same error object always gets the same id, so the
 * formatter and the logger agree whichever runs first.
 */
export function errorIdOf(error: object): string {
  let id = errorIds.get(error);
  if (id === undefined) {
    id = `err_${randomBytes(8).toString('hex')}`;
    errorIds.set(error, id);
  }
  return id;
}

/** What a client is told about a server-side failure: nothing of its text (it may hold SQL or paths). */
export function internalErrorMessage(errorId: string): string {
  return `internal server error (error id ${errorId}; the server log has the details)`;
}
