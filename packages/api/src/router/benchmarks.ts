import { z } from 'zod';
import { BenchmarkCategory, BenchmarkRef, HARNESS_KINDS } from '@ballast/schema';
import { publicProcedure } from '../trpc.js';
import { addBenchmarkEntry, benchmarkRecord } from '../services/benchmarks.js';

const ListInput = z
  .strictObject({
    harness: z.enum(HARNESS_KINDS).optional(),
    category: BenchmarkCategory.optional(),
  })
  .optional();

/** The entry is validated inside `add`, so its issues carry `entry.` paths and the registry's rules. */
const AddInput = z.strictObject({
  entry: z.unknown(),
  addedBy: z.string().min(1).max(128).optional(),
});

export const benchmarksRouter = {
  /** Every version of every registered benchmark, the built-in twins first. */
  list: publicProcedure.input(ListInput).query(async ({ ctx, input }) => (await ctx.benchmarks.registry()).list(input ?? {})),
  get: publicProcedure.input(z.strictObject({ ref: BenchmarkRef })).query(async ({ ctx, input }) => await benchmarkRecord(ctx, input.ref)),
  add: publicProcedure
    .input(AddInput)
    .mutation(async ({ ctx, input }) => await addBenchmarkEntry(ctx, input.entry, input.addedBy ?? ctx.provenance.defaultUser)),
};
