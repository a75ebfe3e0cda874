import type { MalformedLine } from './errors.js';
import { scanLines } from './lines.js';
import { parseLine } from './record.js';

/** At most this many malformed lines are listed; `malformedCount` always has the full number. */
export const MAX_LISTED_MALFORMED = 1000;

export interface SourceDescription {
  readonly sha256: string;
  readonly bytes: number;
  /** Well-formed records; blank lines are not records. */
  readonly records: number;
  readonly malformed: MalformedLine[];
  readonly malformedCount: number;
}

/** Hashes and counts a JSONL source in one streaming pass, listing the lines the mixer would reject. */
export async function describeSource(path: string, options: { signal?: AbortSignal } = {}): Promise<SourceDescription> {
  let records = 0;
  let malformedCount = 0;
  const malformed: MalformedLine[] = [];
  const scan = await scanLines(
    path,
    ({ line, bytes }) => {
      const parsed = parseLine(bytes);
      if (parsed.type === 'record') records += 1;
      else if (parsed.type === 'malformed') {
        malformedCount += 1;
        if (malformed.length < MAX_LISTED_MALFORMED) malformed.push({ line, reason: parsed.reason });
      }
    },
    options,
  );
  return { sha256: scan.sha256, bytes: scan.bytes, records, malformed, malformedCount };
}
