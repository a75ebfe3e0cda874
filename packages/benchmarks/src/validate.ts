import { createHash } from 'node:crypto';
import { BenchmarkInfo, canonicalJson, toFieldIssues, type FieldIssue } from '@ballast/schema';
import { BenchmarkEntryError } from './errors.js';
import { REFERENCE_BENCHMARKS } from './reference-benchmarks.js';

const RESERVED_IDS: ReadonlySet<string> = new Set(REFERENCE_BENCHMARKS.map((b) => b.id));

/** True for the ids of the built-in twins: no added entry may take one, at any version. */
export function isReservedBenchmarkId(id: string): boolean {
  return RESERVED_IDS.has(id);
}

// A name like this matches the schema's registered-name form too, but inspect would look it up as a
// registered task and fail only when the eval job runs.
const TASK_FILE_NAME = /\.py(#[A-Za-z_][A-Za-z0-9_]*)?$/;

/** The rules the schema alone cannot say, checked on the raw input so they report with the schema's issues. */
function ruleIssues(input: unknown): FieldIssue[] {
  if (typeof input !== 'object' || input === null) return [];
  const raw = input as { id?: unknown; simulated?: unknown; harness?: unknown };
  const harness = (typeof raw.harness === 'object' && raw.harness !== null ? raw.harness : {}) as { kind?: unknown; task?: unknown };
  const issues: FieldIssue[] = [];
  if (typeof raw.id === 'string' && isReservedBenchmarkId(raw.id)) {
    issues.push({ path: 'id', message: `'${raw.id}' is the id of a built-in reference benchmark; choose another id` });
  }
  if (harness.kind === 'reference') {
    issues.push({ path: 'harness.kind', message: "'reference' runs only the built-in SIMULATED twins; an added benchmark names an 'inspect' or 'lm-eval' task" });
  } else if (raw.simulated === true) {
    issues.push({ path: 'simulated', message: "only the reference harness's built-in twins are SIMULATED; leave it out or set it to false" });
  }
  if (harness.kind === 'inspect' && typeof harness.task === 'string' && !/^file:/i.test(harness.task) && TASK_FILE_NAME.test(harness.task)) {
    issues.push({
      path: 'harness.task',
      message: "names a task file: give it as 'file:///absolute/path/task.py' ('ballast benchmarks add' resolves paths relative to the entry's file)",
    });
  }
  return issues;
}

/**
 * Validates a benchmark entry a user adds: the schema (defaults applied), then the registry's rules:
 * only the built-in twins are SIMULATED and use the reference harness, and their ids are reserved.
 * Throws BenchmarkEntryError (BENCHMARK_INVALID) naming every failing field, paths relative to the entry.
 */
export function validateBenchmarkEntry(input: unknown): BenchmarkInfo {
  const parsed = BenchmarkInfo.safeParse(input);
  const rules = ruleIssues(input);
  // A rule's message is the more precise one where both speak of the same field.
  const schema = parsed.success ? [] : toFieldIssues(parsed.error.issues).filter((i) => !rules.some((r) => r.path === i.path));
  const issues = [...schema, ...rules];
  if (!parsed.success || issues.length > 0) throw new BenchmarkEntryError(issues);
  return parsed.data;
}

/** The content hash of an entry: sha256 of its canonical JSON, as `sha256:<hex>`. Same content, same hash. */
export function entryHash(entry: BenchmarkInfo): string {
  return `sha256:${createHash('sha256').update(canonicalJson(entry)).digest('hex')}`;
}
