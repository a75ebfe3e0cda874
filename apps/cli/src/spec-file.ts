import { readFileSync } from 'node:fs';
import { ExperimentSpec, specReferenceIssues, toFieldIssues, type FieldIssue } from '@ballast/schema';
import { terminalText } from '@ballast/config';
import { parseDocument } from './document-file.js';
import { CliExit, EXIT } from './exit-codes.js';
import { formatIssues } from './render.js';

/** Thrown when a spec file cannot be read or does not validate; carries every failing field. */
export class SpecFileError extends Error {
  readonly code = 'SPEC_INVALID';
  constructor(readonly file: string, readonly issues: readonly FieldIssue[]) {
    super(`${file} is not a valid experiment spec`);
    this.name = 'SpecFileError';
  }
}

const EMPTY = 'the file is empty; a spec is a YAML or JSON document with apiVersion, kind, metadata and spec (see examples/)';

/**
 * Reads a YAML or JSON spec. Returns the raw object (what the API stores) and the problems the shared
 * schemas find locally; a file that cannot be read or parsed throws.
 */
export function readSpecFile(file: string): { raw: unknown; issues: FieldIssue[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SpecFileError(file, [{ path: '(file)', message: (error as Error).message }]);
  }
  const empty = new SpecFileError(file, [{ path: '(file)', message: EMPTY }]);
  if (text.trim() === '') throw empty;
  let raw: unknown;
  try {
    raw = parseDocument(file, text);
  } catch (error) {
    throw new SpecFileError(file, [{ path: '(file)', message: `cannot parse: ${(error as Error).message}` }]);
  }
  // YAML reads a file of only comments or `---` as null: as empty as no bytes at all.
  if (raw === null || raw === undefined) throw empty;
  const parsed = ExperimentSpec.safeParse(raw);
  if (parsed.success) return { raw, issues: [] };
  return { raw, issues: [...toFieldIssues(parsed.error.issues), ...specReferenceIssues(raw)] };
}

/** `readSpecFile` for a command: a file that cannot be read or parsed ends it with exit 2 and its issues. */
export function readSpecFileOrExit(file: string): { raw: unknown; issues: FieldIssue[] } {
  try {
    return readSpecFile(file);
  } catch (error) {
    if (error instanceof SpecFileError) throw new CliExit(EXIT.invalid, `${terminalText(error.message)}:\n${formatIssues(error.issues)}`);
    throw error;
  }
}
