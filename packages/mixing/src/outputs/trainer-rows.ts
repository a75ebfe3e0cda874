import { OutputRecordError } from './errors.js';

/**
 * How a canonical record becomes a row for each trainer. All three share the same two derived
 * values:
 *
 * - prompt: `messages` up to and including the last `user` turn, as `{role, content}` objects
 *   (system turns before it stay; the assistant turns after it are the answer, not the prompt).
 *   A record with no user turn cannot be a prompt and is refused.
 * - label: the reference answer, i.e. the content of the last assistant turn after the last user
 *   turn; for a prompt-only record (no such turn), the record's `tags` as a JSON string, so that a
 *   rule or judge reward still knows which trait and domain the prompt probes.
 *
 * verl (parquet, the RLHF dataset row documented by verl):
 *   data_source  string           options.dataSource (the mix id)
 *   prompt       list<struct<role: string, content: string>>
 *   ability      string           `${tags.kind}/${tags.trait ?? tags.domain}`, e.g. `trait/honesty`, `regular/science`
 *   reward_model struct<style: string, ground_truth: string>   style 'rule', ground_truth = label
 *   extra_info   struct<id: string, index: int64, tags: string> record id, 0-based position in the mix,
 *                                                               tags as JSON (schemas differ per source)
 *
 * OpenRLHF (JSONL, read by its PromptDataset): `input` (the chat list; run with
 *   `--apply_chat_template`), `label` (string; what `--label_key` hands the reward function),
 *   `datasource` (per-source metrics), `id`. Keys: `--input_key input --label_key label`
 *   (`--data.input_key` / `--data.label_key` in the v0.10.2+ flag dialect). `input` is also
 *   OpenRLHF's default input key.
 *
 * TRL GRPO (JSONL, conversational prompt-only): `prompt` (the chat list), and columns that TRL passes
 *   to every reward function as keyword arguments: `ground_truth` (label), `tags` (JSON string), `id`,
 *   `data_source`.
 */

export interface ChatTurn {
  readonly role: string;
  readonly content: string;
}

export interface TrainerRecord {
  readonly id: string;
  readonly prompt: ChatTurn[];
  readonly label: string;
  readonly ability: string;
  /** The record's tags as JSON, key order as in the source. */
  readonly tagsJson: string;
}

/** Parses a canonical record and derives what every trainer format needs from it. */
export function toTrainerRecord(format: string, bytes: Buffer): TrainerRecord {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new OutputRecordError(format, undefined, `not JSON (${(err as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new OutputRecordError(format, undefined, 'not a JSON object');
  }
  const rec = value as { id?: unknown; messages?: unknown; tags?: unknown };
  const id = typeof rec.id === 'string' ? rec.id : undefined;
  const fail = (reason: string): never => {
    throw new OutputRecordError(format, id, reason);
  };
  if (id === undefined) fail("'id' must be a string");
  if (!Array.isArray(rec.messages)) fail("'messages' must be an array");
  const turns = (rec.messages as unknown[]).map((m, i): ChatTurn => {
    const t = m as { role?: unknown; content?: unknown } | null;
    if (t === null || typeof t !== 'object' || typeof t.role !== 'string' || typeof t.content !== 'string') {
      return fail(`messages[${i}] must have string 'role' and 'content'`);
    }
    return { role: t.role, content: t.content };
  });
  const tags = rec.tags as { kind?: unknown; trait?: unknown; domain?: unknown } | null | undefined;
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) fail("'tags' must be an object");
  const t = tags as { kind?: unknown; trait?: unknown; domain?: unknown };

  let lastUser = -1;
  for (let i = turns.length - 1; i >= 0; i--) {
    if (turns[i]?.role === 'user') {
      lastUser = i;
      break;
    }
  }
  if (lastUser < 0) fail('no user turn to end the prompt');

  let reference: string | undefined;
  for (let i = turns.length - 1; i > lastUser; i--) {
    const turn = turns[i];
    if (turn?.role === 'assistant') {
      reference = turn.content;
      break;
    }
  }
  const tagsJson = JSON.stringify(t);
  const axis = typeof t.trait === 'string' ? t.trait : t.domain;
  return {
    id: id as string,
    prompt: turns.slice(0, lastUser + 1),
    label: reference ?? tagsJson,
    // A record without a kind (allowed for the mix, see docs/mixing.md) is 'none/…'.
    ability: `${typeof t.kind === 'string' ? t.kind : 'none'}/${String(axis)}`,
    tagsJson,
  };
}

/** One OpenRLHF prompt-dataset line (no newline). Key order is fixed so output is byte-stable. */
export function openRlhfLine(r: TrainerRecord, dataSource: string): string {
  return JSON.stringify({ input: r.prompt, label: r.label, datasource: dataSource, id: r.id });
}

/** One TRL GRPO prompt-only line (no newline). */
export function trlLine(r: TrainerRecord, dataSource: string): string {
  return JSON.stringify({ prompt: r.prompt, ground_truth: r.label, tags: r.tagsJson, id: r.id, data_source: dataSource });
}
