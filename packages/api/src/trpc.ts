import { initTRPC } from '@trpc/server';
import { unstorableTextIssues } from '@ballast/schema';
import type { ApiContext } from './context.js';
import { badRequest, errorIdOf, internalErrorMessage, issuesOf } from './errors.js';

const t = initTRPC.context<ApiContext>().create({
  // tRPC's default (NODE_ENV !== 'production') puts stack traces into error responses.
  isDev: false,
  errorFormatter({ shape, error }) {
    // Stack traces stay in the server log; clients get the message and the field issues.
    const { stack: _stack, ...data } = shape.data;
    if (data.httpStatus >= 500) {
      // A server-side failure's text may quote SQL, file contents or paths: the client gets an id that
      // the server log (onError) has beside the full error.
      const errorId = errorIdOf(error);
      return { ...shape, message: internalErrorMessage(errorId), data: { ...data, issues: null, errorId } };
    }
    const issues = error.code === 'BAD_REQUEST' ? issuesOf(error.cause) : null;
    return { ...shape, data: { ...data, issues, errorId: null } };
  },
});

/**
 * Refuses, on every procedure and before its input parser, strings PostgreSQL cannot store (NUL,
 * unpaired surrogates), anywhere in the raw input: inputs typed `unknown` (specs) are covered too.
 */
const storableInput = t.middleware(async ({ getRawInput, next }) => {
  const issues = unstorableTextIssues(await getRawInput());
  if (issues.length > 0) throw badRequest(issues);
  return await next();
});

export const router = t.router;
export const publicProcedure = t.procedure.use(storableInput);
export const createCallerFactory = t.createCallerFactory;
