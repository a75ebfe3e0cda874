import type { ConversationRecord } from '@ballast/schema';

/**
 * The SIMULATED reference workload's own tokenizer, for compute matching: a token is a maximal run of
 * non-whitespace characters in a message's content, counted over every message (system, user and
 * assistant). It is not a model's tokenizer; counts from it compare reference runs with each other only.
 */
export function countReferenceTokens(record: Pick<ConversationRecord, 'messages'>): number {
  let tokens = 0;
  for (const message of record.messages) tokens += message.content.match(/\S+/g)?.length ?? 0;
  return tokens;
}
