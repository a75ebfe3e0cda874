import type { z } from 'zod';
import { toFieldIssues, type FieldIssue } from './issues.js';

/** How many bad lines are named before the rest are only counted. */
export const REPORTED_BAD_LINES = 10;

export interface JsonlRecords<T> {
  readonly records: T[];
  /** The first REPORTED_BAD_LINES bad lines' issues (paths `line N…`), then one issue counting the rest. */
  readonly issues: FieldIssue[];
  /** Lines that were not records of `schema`. */
  readonly badLines: number;
}

/**
 * Parses JSONL text whose every non-blank line must be a record of `schema`. Nothing throws: each bad
 * line is named (1-based, as an editor shows it) with the field that is wrong, up to
 * REPORTED_BAD_LINES lines, so one answer tells the user what to fix.
 */
export function parseJsonlRecords<S extends z.ZodType>(text: string, schema: S): JsonlRecords<z.output<S>> {
  const records: z.output<S>[] = [];
  const issues: FieldIssue[] = [];
  let badLines = 0;
  const bad = (lineIssues: FieldIssue[]) => {
    badLines += 1;
    if (badLines <= REPORTED_BAD_LINES) issues.push(...lineIssues);
  };
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return bad([{ path: `line ${i + 1}`, message: 'is not JSON' }]);
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) records.push(parsed.data);
    else bad(toFieldIssues(parsed.error.issues, [`line ${i + 1}`]));
  });
  if (badLines > REPORTED_BAD_LINES) issues.push({ path: `${badLines - REPORTED_BAD_LINES} more lines`, message: 'are not valid records either' });
  return { records, issues, badLines };
}
