import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { BenchmarkInfo, toFieldIssues } from '@ballast/schema';
import { BenchmarkEntryFileError } from './errors.js';

/** An inspect task given as a file (`./task.py`, `dir/task.py#name`, `/abs/task.py`), not a registered name. */
const TASK_FILE = /^(?!file:)(.+\.py)(#[A-Za-z_][A-Za-z0-9_]*)?$/;

/**
 * Reads a benchmark entry file (`<id>.benchmark.yaml`: the BenchmarkInfo fields) the way
 * `ballast benchmarks add FILE` takes it. Paths in it may be relative to the file: an inspect
 * `harness.task` file (`./task.py`, with an optional `#task_name`) and an lm-eval `harness.includePath`
 * become `file:///` URIs of absolute paths, so the entry can be stored and used from anywhere.
 * Registered task names and `file:///` URIs are left as they are. The registry still resolves the
 * paths against its allowed roots when the entry is added.
 *
 * @throws BenchmarkEntryFileError naming the file and every failing field
 */
export async function readBenchmarkEntryFile(path: string): Promise<BenchmarkInfo> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new BenchmarkEntryFileError(path, [{ path: '(file)', message: `cannot be read: ${(err as Error).message}` }]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new BenchmarkEntryFileError(path, [{ path: '(file)', message: `is not YAML: ${(err as Error).message}` }]);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new BenchmarkEntryFileError(path, [{ path: '(file)', message: 'must be a mapping of benchmark fields (id, version, category, …)' }]);
  }
  const parsed = BenchmarkInfo.safeParse(resolveEntryFilePaths(raw as Record<string, unknown>, dirname(resolve(path))));
  if (!parsed.success) throw new BenchmarkEntryFileError(path, toFieldIssues(parsed.error.issues));
  return parsed.data;
}

/**
 * An entry's relative inspect task file (keeping a `#task` suffix) and lm-eval include directory as
 * `file:///` URIs against `baseDir` (the entry file's directory); URIs, absolute paths made URIs, and
 * registered task names otherwise unchanged. Not validated: callers validate the result.
 */
export function resolveEntryFilePaths(entry: Record<string, unknown>, baseDir: string): Record<string, unknown> {
  const harness = entry['harness'];
  if (typeof harness !== 'object' || harness === null || Array.isArray(harness)) return entry;
  const h = harness as Record<string, unknown>;
  if (h['kind'] === 'inspect' && typeof h['task'] === 'string' && !/^file:/i.test(h['task'])) {
    const match = TASK_FILE.exec(h['task']);
    if (match) return { ...entry, harness: { ...h, task: `${fileUri(match[1]!, baseDir)}${match[2] ?? ''}` } };
  }
  if (h['kind'] === 'lm-eval' && typeof h['includePath'] === 'string' && !/^file:/i.test(h['includePath'])) {
    return { ...entry, harness: { ...h, includePath: fileUri(h['includePath'], baseDir) } };
  }
  return entry;
}

function fileUri(path: string, baseDir: string): string {
  return pathToFileURL(isAbsolute(path) ? path : resolve(baseDir, path)).href;
}
