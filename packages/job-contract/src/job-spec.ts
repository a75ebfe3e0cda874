import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { toFieldIssues } from '@ballast/schema';
import { ContractInputError } from './errors.js';

/** Reads the job spec file and validates it; problems are reported as field paths, never a stack. */
export async function readJobSpec<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw ContractInputError.badFile(path, [{ path: '(file)', message: `cannot be read: ${(err as Error).message}` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw ContractInputError.badFile(path, [{ path: '(file)', message: `is not JSON: ${(err as Error).message}` }]);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw ContractInputError.badFile(path, toFieldIssues(parsed.error.issues));
  return parsed.data;
}
