import { pathToFileURL } from 'node:url';
import type { BenchmarkInfo } from '@ballast/schema';
import { resolveUserPath, UserPathError } from '@ballast/user-paths';

export interface EntryPathOptions {
  /** Where task files and task directories may lie (the ML roots). */
  readonly roots: readonly string[];
  /** How an operator widens them, quoted when a path is refused. */
  readonly rootsSetting: string;
  /** Put before every field an error names, e.g. `entry.` for the API's `{ entry }` input. */
  readonly fieldPrefix?: string;
}

/**
 * The entry with every path it names resolved through the allowed-roots resolver and written back as
 * the `file:///` URI of the real path (symlinks and `..` gone): an inspect task file (a regular file;
 * a `#task` suffix is kept) and an lm-eval `includePath` (a directory of task files). Names that are not
 * files (registered task names) are left as they are. Throws UserPathError naming the field.
 */
export function resolveEntryPaths(entry: BenchmarkInfo, options: EntryPathOptions): BenchmarkInfo {
  const prefix = options.fieldPrefix ?? '';
  const check = { roots: options.roots, rootsSetting: options.rootsSetting };
  const harness = entry.harness;
  if (harness.kind === 'inspect' && /^file:/i.test(harness.task)) {
    const field = `${prefix}harness.task`;
    const hash = harness.task.indexOf('#');
    const file = hash < 0 ? harness.task : harness.task.slice(0, hash);
    const found = resolveUserPath(file, { ...check, field, expect: 'file' });
    // A symlink may lead to a file inspect would not load as Python.
    if (!found.path.endsWith('.py')) throw UserPathError.invalid(field, harness.task, "resolves to a file whose name does not end in '.py'");
    return { ...entry, harness: { ...harness, task: `${pathToFileURL(found.path).href}${hash < 0 ? '' : harness.task.slice(hash)}` } };
  }
  if (harness.kind === 'lm-eval' && harness.includePath !== undefined) {
    const found = resolveUserPath(harness.includePath, { ...check, field: `${prefix}harness.includePath`, expect: 'directory' });
    return { ...entry, harness: { ...harness, includePath: pathToFileURL(found.path).href } };
  }
  return entry;
}
