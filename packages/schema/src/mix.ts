import { z } from 'zod';
import { MixOutputFormat, ResolvedMix } from './spec.js';

const Count = z.number().int().min(0);

export const MixShard = z.strictObject({ file: z.string(), records: Count, bytes: Count, sha256: z.string() });
export type MixShard = z.infer<typeof MixShard>;

/**
 * What a mix is made of and where each record came from: written last into the mix's directory (its
 * presence marks the mix complete) and returned by the API.
 */
export const MixManifest = z.strictObject({
  schemaVersion: z.literal(2),
  mixId: z.string(),
  mixerVersion: z.number().int(),
  /** The resolved mix spec, with the dataset each component draws from. */
  spec: ResolvedMix,
  sources: z.array(
    z.strictObject({
      dataset: z.string(),
      uri: z.string(),
      sourceId: z.string(),
      sha256: z.string(),
      format: z.string(),
      records: Count,
      malformed: Count,
      quarantine: z.string().nullable(),
      duplicatesRemoved: Count,
    }),
  ),
  components: z.array(
    z.strictObject({
      name: z.string(),
      dataset: z.string(),
      requested: Count,
      selected: Count,
      /** Records that passed this component's filter and were not taken by an earlier component. */
      eligible: Count,
      /** Records that passed this component's filter but went to an earlier component (first match wins). */
      lostToEarlier: Count,
      /** Extra draws with replacement (upsampling), included in `selected`. */
      upsampled: Count,
      /** Records dropped because they overlap benchmark items (decontaminate.exclude). */
      contaminatedExcluded: Count,
    }),
  ),
  records: Count,
  dedup: z.strictObject({ enabled: z.boolean(), removed: Count }),
  outputs: z.array(z.strictObject({ format: MixOutputFormat, dir: z.string(), shards: z.array(MixShard) })),
  countsByTag: z.record(z.string(), z.record(z.string(), Count)),
  coverage: z.strictObject({
    byTraitDomain: z.record(z.string(), z.record(z.string(), Count)),
    warnings: z.array(z.string()),
  }),
  contamination: z
    .strictObject({
      ngram: z.number().int(),
      overlappingRecords: Count,
      excluded: Count,
      examples: z.array(z.strictObject({ recordId: z.string(), benchmark: z.string(), itemId: z.string() })),
    })
    .nullable(),
  /** Largest deviation from the exact share seen in any window of `size` output records, per component. */
  spread: z.strictObject({ window: z.number().int(), maxDeviation: z.number() }),
  warnings: z.array(z.string()),
});
export type MixManifest = z.infer<typeof MixManifest>;

/** What a mix would be, computed without writing it (`ballast mix preview`). */
export const MixPreview = z.strictObject({
  mixId: z.string(),
  records: Count,
  components: z.array(
    z.strictObject({
      name: z.string(),
      dataset: z.string(),
      requested: Count,
      eligible: Count,
      lostToEarlier: Count,
      shortBy: Count,
      upsampled: Count,
    }),
  ),
  duplicatesRemoved: Count,
  /** Per source: records indexed, lines quarantined, and the quarantine file (null when none). */
  sources: z.array(z.strictObject({ dataset: z.string(), records: Count, malformed: Count, quarantine: z.string().nullable() })),
  /** Selected records checked against what the output formats (and the trainer, when known) need. */
  recordsChecked: Count,
  estimatedBytes: Count,
  coverage: z.strictObject({ byTraitDomain: z.record(z.string(), z.record(z.string(), Count)), warnings: z.array(z.string()) }),
  warnings: z.array(z.string()),
  /** Set when the mix cannot be built as specified (a short component, a record an output format cannot take). */
  error: z.string().nullable(),
});
export type MixPreview = z.infer<typeof MixPreview>;
