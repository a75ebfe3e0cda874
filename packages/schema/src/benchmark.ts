import { z } from 'zod';
import { BenchmarkCategory } from './vocabulary.js';

/** A registered eval. Items live in a generated held-out file; see the reference workload. */
export const BenchmarkInfo = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  version: z.number().int().positive(),
  category: BenchmarkCategory,
  description: z.string(),
  traits: z.array(z.string()),
  domains: z.array(z.string()),
  metric: z.string(),
  direction: z.enum(['higher_is_better', 'lower_is_better']),
  itemCount: z.number().int().positive(),
  harness: z.literal('reference'),
  /** True when no domain of this benchmark appears in any training data. */
  outOfDomain: z.boolean(),
  simulated: z.literal(true),
});
export type BenchmarkInfo = z.infer<typeof BenchmarkInfo>;

export function benchmarkRef(b: Pick<BenchmarkInfo, 'id' | 'version'>): string {
  return `${b.id}@${b.version}`;
}
