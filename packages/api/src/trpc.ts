import { initTRPC } from '@trpc/server';
import type { ApiContext } from './context.js';
import { issuesOf } from './errors.js';

const t = initTRPC.context<ApiContext>().create({
  errorFormatter({ shape, error }) {
    const issues = error.code === 'BAD_REQUEST' ? issuesOf(error.cause) : null;
    // Stack traces stay in the server log; clients get the message and the field issues.
    const { stack: _stack, ...data } = shape.data;
    return { ...shape, data: { ...data, issues } };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
