import { z } from 'zod';

export const ChatMessage = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/**
 * Tags the mixer filters on. `kind` separates regular RL prompts from trait conversations; `trait` is
 * null for regular prompts; `pressure` (0..1) is how hard the user pushes toward a bad behaviour.
 */
export const RecordTags = z
  .object({
    kind: z.enum(['regular', 'trait']),
    trait: z.string().nullable(),
    domain: z.string(),
    pressure: z.number().min(0).max(1),
    template: z.string(),
  })
  .catchall(z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type RecordTags = z.infer<typeof RecordTags>;

/** One line of a reference corpus or a mixed dataset: a multi-turn conversation plus tags. */
export const ConversationRecord = z.object({
  id: z.string().min(1),
  messages: z.array(ChatMessage).min(2).max(8),
  tags: RecordTags,
});
export type ConversationRecord = z.infer<typeof ConversationRecord>;

/** A registered input dataset. */
export const DatasetSourceInfo = z.strictObject({
  name: z.string(),
  uri: z.string(),
  path: z.string(),
  format: z.literal('jsonl'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().min(0),
  records: z.number().int().min(0),
});
export type DatasetSourceInfo = z.infer<typeof DatasetSourceInfo>;

const DeclaredValues = z.array(z.string().min(1).max(200)).max(1000);

/**
 * Tag values a dataset may use besides the built-in vocabulary (TAG_KINDS, TRAITS, DOMAINS). Any other
 * value fails the dataset's registration with the line it is on and a "did you mean", so that a typo
 * (`health` for `healthcare`) cannot slip past a `notIn` hold-out filter.
 */
export const DeclaredTagValues = z.strictObject({
  kind: DeclaredValues.optional(),
  trait: DeclaredValues.optional(),
  domain: DeclaredValues.optional(),
});
export type DeclaredTagValues = z.infer<typeof DeclaredTagValues>;
