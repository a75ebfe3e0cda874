import type { z } from 'zod';

/** One validation problem, as users see it: `field.path: message`. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

type IssueLike = Pick<z.core.$ZodIssue, 'path' | 'message'> & { code?: string; keys?: readonly string[] };

/** Formats zod issues as field paths. An unknown key is reported at the key's own path. */
export function toFieldIssues(issues: readonly IssueLike[], prefix: readonly PropertyKey[] = []): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    const base = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) {
        out.push({ path: formatPath([...base, key]), message: 'unknown key (check the spelling)' });
      }
      continue;
    }
    out.push({ path: formatPath(base), message: issue.message });
  }
  return out;
}

export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p) => String(p)).join('.');
}

export function formatFieldIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('\n');
}
