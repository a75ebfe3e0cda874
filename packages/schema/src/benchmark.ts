import { z } from 'zod';
import { BenchmarkCategory } from './vocabulary.js';

/** A `file:///absolute/path` a benchmark entry names; resolved against the allowed roots when it is used. */
const FileUri = z.string().regex(/^file:\/\/\/\S+$/, "must be 'file:///absolute/path'");

/** The SIMULATED twin: scored by the reference evaluator against the reference policy. */
export const ReferenceHarness = z.strictObject({ kind: z.literal('reference') });

/**
 * An inspect_ai task: a registered name (`inspect_evals/...`, resolved in the environment) or a task
 * file (`file:///…/task.py`, optionally `#task_name` when the file defines several).
 */
export const InspectHarness = z.strictObject({
  kind: z.literal('inspect'),
  task: z.union([
    z.string().regex(/^file:\/\/\/\S+\.py(#[A-Za-z_][A-Za-z0-9_]*)?$/, "must be 'file:///path/task.py', 'file:///path/task.py#name' or a registered task name"),
    z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_./-]{0,200}$/, 'must be a registered task name or a task file'),
  ]),
  /** Which scorer's value is the metric; the first scorer when left out. */
  scorer: z.string().regex(/^[A-Za-z_][A-Za-z0-9_./-]{0,127}$/).optional(),
});

/** An lm-eval task: a name, found in lm-eval's own registry or in `includePath` (a directory of task YAML). */
export const LmEvalHarness = z.strictObject({
  kind: z.literal('lm-eval'),
  task: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,200}$/, 'must be an lm-eval task name'),
  includePath: FileUri.optional(),
  /** The metric key in lm-eval's results (`acc`, `exact_match`, …). */
  metricKey: z.string().regex(/^[A-Za-z0-9_]{1,64}$/).default('acc'),
  /** The filter the metric was computed under (`none` unless the task defines filters). */
  filter: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default('none'),
});

export const HARNESS_KINDS = ['reference', 'inspect', 'lm-eval'] as const;
export const HarnessSpec = z.discriminatedUnion('kind', [ReferenceHarness, InspectHarness, LmEvalHarness]);
export type HarnessSpec = z.infer<typeof HarnessSpec>;
export type HarnessKind = HarnessSpec['kind'];

/** A registered benchmark (the registry, `@ballast/benchmarks`, holds them; docs/evaluation.md). */
export const BenchmarkInfo = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 lowercase letters, digits or dashes'),
  version: z.number().int().positive(),
  category: BenchmarkCategory,
  description: z.string().max(2000),
  traits: z.array(z.string().max(64)).max(32).default([]),
  domains: z.array(z.string().max(64)).max(32).default([]),
  /** What one item's score measures, e.g. `accuracy`, `sycophancy_rate`. */
  metric: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  direction: z.enum(['higher_is_better', 'lower_is_better']),
  /** Items in the benchmark; unknown (null) for a real harness until it has run. */
  itemCount: z.number().int().positive().nullable().default(null),
  harness: HarnessSpec,
  /** True when no domain of this benchmark appears in any training data. */
  outOfDomain: z.boolean().default(false),
  /** True only for the reference harness's SIMULATED twins. */
  simulated: z.boolean().default(false),
});
export type BenchmarkInfo = z.infer<typeof BenchmarkInfo>;
export type BenchmarkInfoInput = z.input<typeof BenchmarkInfo>;

export function benchmarkRef(b: Pick<BenchmarkInfo, 'id' | 'version'>): string {
  return `${b.id}@${b.version}`;
}
