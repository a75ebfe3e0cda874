import type { ResolvedMix } from '@ballast/schema';
import { MalformedSourceError, MixAbortedError } from './errors.js';
import { OutputRecordError } from './outputs/errors.js';
import { toTrainerRecord } from './outputs/trainer-rows.js';
import { RecordReader } from './record-reader.js';
import type { Picks } from './selection.js';
import { escapedExcerpt, VALUE_EXCERPT_BYTES } from './sources/excerpt.js';
import { lineAt } from './sources/line-at.js';
import type { SourceRegistration } from './sources/index.js';

/**
 * What a mixed record is used for beyond the canonical JSONL (which takes any record the registration
 * indexed): a trainer output format, or the reference trainer reading the canonical JSONL in its job.
 * docs/mixing.md ("Record format") lists what each needs.
 */
export type RecordUse = 'verl' | 'openrlhf' | 'trl' | 'reference-trainer';

/** The uses a mix's records must serve: its trainer output formats, plus the trainer when one is known. */
export function recordUsesOf(mix: ResolvedMix, trainer?: 'reference'): RecordUse[] {
  const uses: RecordUse[] = mix.output.formats.filter((f): f is Exclude<typeof f, 'jsonl'> => f !== 'jsonl');
  if (trainer === 'reference') uses.push('reference-trainer');
  return uses;
}

/** Why a record cannot serve `uses` (the first use it fails), or null. */
export type RecordCheck = (bytes: Buffer) => string | null;

/**
 * The one check preview and build both run on every selected record: the trainer formats' own
 * conversion (toTrainerRecord, as the writers call it) and the reference trainer's record schema.
 * Loads zod only when the reference trainer is among the uses.
 */
export async function recordCheck(uses: readonly RecordUse[]): Promise<RecordCheck | null> {
  if (uses.length === 0) return null;
  const formats = uses.filter((u): u is Exclude<RecordUse, 'reference-trainer'> => u !== 'reference-trainer');
  const reference = uses.includes('reference-trainer') ? await referenceTrainerCheck() : null;
  return (bytes) => {
    for (const format of formats) {
      try {
        toTrainerRecord(format, bytes);
      } catch (err) {
        if (!(err instanceof OutputRecordError)) throw err;
        return `record ${idText(err.recordId)} cannot be written as ${format}: ${err.reason}`;
      }
    }
    return reference?.(bytes) ?? null;
  };
}

function idText(id: string | undefined): string {
  return id === undefined ? '(no id)' : `'${escapedExcerpt(id, VALUE_EXCERPT_BYTES)}'`;
}

/**
 * The reference trainer reads each line as a ConversationRecord (fixed paths: `id`, `messages`,
 * `tags.kind|trait|domain|pressure|template`, whatever the dataset's tag schema) and has parameters only
 * for the built-in traits and domains: checked here so that a bad record fails the mix build, not the job.
 */
async function referenceTrainerCheck(): Promise<RecordCheck> {
  const { ConversationRecord, DOMAINS, TRAITS } = await import('@ballast/schema');
  return (bytes) => {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    const id = (value as { id?: unknown }).id;
    const who = `record ${idText(typeof id === 'string' ? id : undefined)}`;
    const parsed = ConversationRecord.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const path = issue.path.map(String).join('.') || '(record)';
      return `${who} cannot be used by the reference trainer: '${path}' ${issue.message}`;
    }
    const { trait, domain } = parsed.data.tags;
    if (trait !== null && !(TRAITS as readonly string[]).includes(trait)) {
      return `${who} cannot be used by the reference trainer: 'tags.trait' '${escapedExcerpt(trait, VALUE_EXCERPT_BYTES)}' is not a built-in trait`;
    }
    if (!(DOMAINS as readonly string[]).includes(domain)) {
      return `${who} cannot be used by the reference trainer: 'tags.domain' '${escapedExcerpt(domain, VALUE_EXCERPT_BYTES)}' is not a built-in domain`;
    }
    return null;
  };
}

export interface CheckedSource {
  readonly dataset: string;
  readonly registration: SourceRegistration;
}

/**
 * Runs `check` on every picked record (each distinct record once), reading them by byte range. The
 * first failure, in component and pick order, becomes a MalformedSourceError naming the dataset and the
 * record's line. Returns how many records were checked.
 */
export async function checkPickedRecords(
  check: RecordCheck,
  sources: readonly CheckedSource[],
  picks: readonly Picks[],
  signal?: AbortSignal,
): Promise<number> {
  const reader = new RecordReader(sources.map((s) => s.registration.dataPath));
  const seen = sources.map(() => new Set<number>());
  let checked = 0;
  try {
    for (const p of picks) {
      for (let i = 0; i < p.size; i++) {
        if ((i & 0xfff) === 0 && signal?.aborted) throw new MixAbortedError(signal.reason);
        const source = p.source[i]!;
        const offset = p.offset[i]!;
        if (seen[source]!.has(offset)) continue;
        seen[source]!.add(offset);
        checked += 1;
        const problem = check(reader.read(source, offset, p.length[i]!));
        if (problem !== null) {
          const { dataset, registration } = sources[source]!;
          const line = await lineAt(registration.dataPath, offset, signal);
          throw new MalformedSourceError(dataset, registration.path, [{ line, reason: problem }]);
        }
      }
    }
  } finally {
    reader.close();
  }
  return checked;
}
