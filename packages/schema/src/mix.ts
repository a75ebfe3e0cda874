import { z } from 'zod';
import { ResolvedMix } from './spec.js';

export const MixManifest = z.strictObject({
  mixId: z.string(),
  /** The resolved mix spec, with the dataset each component draws from. */
  spec: ResolvedMix,
  sources: z.array(
    z.strictObject({ dataset: z.string(), uri: z.string(), sha256: z.string(), records: z.number().int() }),
  ),
  components: z.array(
    z.strictObject({
      name: z.string(),
      dataset: z.string(),
      requested: z.number().int(),
      selected: z.number().int(),
      eligible: z.number().int(),
    }),
  ),
  records: z.number().int(),
  output: z.strictObject({ file: z.string(), sha256: z.string(), bytes: z.number().int() }),
  countsByTag: z.record(z.string(), z.record(z.string(), z.number().int())),
});
export type MixManifest = z.infer<typeof MixManifest>;
