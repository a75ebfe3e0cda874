import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { terminalLines, terminalText as t } from '@ballast/config';
import { CliExit, EXIT } from './exit-codes.js';

/** Parses a document by its file's extension: JSON for `.json`, YAML (a superset) otherwise. */
export function parseDocument(file: string, text: string): unknown {
  return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
}

/** Reads a YAML or JSON file a command was given; one that cannot be read or parsed exits 2 naming it. */
export function readDocumentFile(file: string): unknown {
  try {
    return parseDocument(file, readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliExit(EXIT.invalid, `${t(file)}: ${terminalLines((error as Error).message)}`);
  }
}
