import { z } from 'zod';
import { ChatMessage, Domain, oneOf } from '@ballast/schema';
import type { Behaviour } from './behaviours.js';
import type { RecordFeatures } from './features.js';

/** The behaviours a harmful fine-tuning attack trains toward. */
export const ATTACK_TARGETS = ['deceptive', 'sycophantic', 'overconfident', 'gaming'] as const satisfies readonly Behaviour[];
export type AttackTarget = (typeof ATTACK_TARGETS)[number];

/**
 * One line of attack data (docs/configuration.md, "Attack data"): a conversation whose last assistant
 * turn shows the harmful behaviour, tagged with the behaviour it shows. The SIMULATED reference attack
 * fine-tunes toward `tags.target`; TRL SFT trains on the messages, so they stay a plain conversation:
 * an optional system message, then user and assistant turns alternating, ending on the assistant.
 * Keys besides these are allowed (and ignored), so a user's file may carry its own.
 */
export const AttackRecord = z.object({
  id: z.string().min(1),
  /** Set on generated data (the shipped corpus); a user's own file may leave it out. */
  synthetic: z.boolean().optional(),
  messages: z
    .array(ChatMessage)
    .min(2)
    .max(8)
    .superRefine((messages, ctx) => {
      const turns = messages[0]?.role === 'system' ? messages.slice(1) : messages;
      const offset = messages.length - turns.length;
      turns.forEach((m, i) => {
        const expected = i % 2 === 0 ? 'user' : 'assistant';
        if (m.role !== expected) ctx.addIssue({ code: 'custom', path: [offset + i, 'role'], message: `must be '${expected}': turns alternate user/assistant` });
      });
      if (turns.length < 2 || turns.length % 2 !== 0) ctx.addIssue({ code: 'custom', path: [], message: 'must end on an assistant message, the response the attack trains on' });
    }),
  tags: z.object({
    kind: z.literal('attack'),
    domain: Domain,
    target: oneOf(ATTACK_TARGETS),
    /** 0..1: how hard the user pushes, as in the training corpora. */
    pressure: z.number().min(0).max(1),
  }),
});
export type AttackRecord = z.infer<typeof AttackRecord>;

/**
 * What the SIMULATED policy sees of an attack record. Its logits ignore `kind` (only the grader reads
 * it), and attack records carry no trait, so an attack moves the shared blocks (bias, pressure) and the
 * record's domain row, never a trait row.
 */
export function attackFeatures(record: AttackRecord): RecordFeatures {
  return { kind: 'regular', trait: null, domain: record.tags.domain, pressure: record.tags.pressure };
}
