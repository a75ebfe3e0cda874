import type { ChatMessage, Domain } from '@ballast/schema';
import type { Rng } from '../rng.js';
import { fillTemplate } from './fill.js';
import { templateId, type TemplateSet } from './template-set.js';

/**
 * Message counts, 2..8, index = count - 2. Messages alternate user/assistant starting with the user:
 * an odd count ends on a user turn the policy answers, an even count ends on a reference assistant
 * turn. Regular prompts are mostly short (mean 3.7 messages); trait conversations, where pressure
 * builds over turns, are longer (mean 4.9).
 */
export const MESSAGE_COUNT_WEIGHTS = {
  regular: [0.3, 0.2, 0.18, 0.12, 0.1, 0.05, 0.05],
  trait: [0.1, 0.15, 0.2, 0.2, 0.15, 0.1, 0.1],
} as const;

export interface BuiltConversation {
  readonly messages: ChatMessage[];
  readonly template: string;
}

/** Builds one conversation from a set's opener for `key` (a trait or `regular`), filled for `domain`. */
export function buildConversation(
  set: TemplateSet,
  key: string,
  domain: Domain,
  messageCount: number,
  rng: Rng,
): BuiltConversation {
  const openers = set.openers[key];
  if (openers === undefined) throw new Error(`no '${key}' openers in template set '${set.prefix}'`);
  const index = rng.int(openers.length);
  const messages: ChatMessage[] = [{ role: 'user', content: fillTemplate(openers[index]!, domain, rng) }];
  while (messages.length < messageCount) {
    const user = messages.length % 2 === 0;
    // Regular prompts follow up neutrally; only trait conversations push back on later user turns.
    const text = user
      ? key === 'regular'
        ? fillTemplate(rng.pick(set.openers['regular'] ?? openers), domain, rng)
        : fillTemplate(rng.pick(set.pushbacks), domain, rng)
      : fillTemplate(rng.pick(set.replies), domain, rng);
    messages.push({ role: user ? 'user' : 'assistant', content: text });
  }
  return { messages, template: templateId(set, key, index, domain) };
}

export function drawMessageCount(weights: readonly number[], rng: Rng): number {
  return 2 + rng.weighted(weights);
}
