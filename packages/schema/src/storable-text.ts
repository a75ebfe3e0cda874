import type { FieldIssue } from './issues.js';
import { formatPath } from './issues.js';

// PostgreSQL text and jsonb cannot hold U+0000, and jsonb rejects a UTF-16 surrogate that is not half
// of a pair. Such a string reached the database once and came back as a 500 quoting the whole SQL
// statement; every API input is now checked here, before any procedure runs.
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Issues past this many are dropped: one is enough to fix the input, thousands would bloat the answer. */
const MAX_ISSUES = 20;

/** Why PostgreSQL cannot store `text`, or null when it can. */
export function unstorableTextReason(text: string): string | null {
  if (NUL.test(text)) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate (invalid Unicode), which cannot be stored';
  return null;
}

/** A key as it can be shown in a path: the characters that make it unstorable, escaped. */
function printableKey(key: string): string {
  return key.replace(/[\u0000\uD800-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Every string (object keys included) in a JSON-like value that PostgreSQL cannot store, with its field
 * path. Walks iteratively, so a deeply nested input cannot overflow the stack.
 *
 * @example
 * unstorableTextIssues({ spec: { metadata: { description: 'a\u0000b' } } });
 * // [{ path: 'spec.metadata.description', message: 'contains a NUL character (\\u0000), which cannot be stored' }]
 */
export function unstorableTextIssues(value: unknown, prefix: readonly PropertyKey[] = []): FieldIssue[] {
  const issues: FieldIssue[] = [];
  // Paths are parent links, built into a string only for an issue: copying them per node would make
  // a deeply nested input quadratic.
  type Node = { value: unknown; key: PropertyKey | null; parent: Node | null };
  const pathOf = (node: Node | null, last?: PropertyKey): string => {
    const keys: PropertyKey[] = last === undefined ? [] : [last];
    for (let at = node; at && at.key !== null; at = at.parent) keys.push(at.key);
    return formatPath([...prefix, ...keys.reverse()]);
  };
  const pending: Node[] = [{ value, key: null, parent: null }];
  while (pending.length > 0 && issues.length < MAX_ISSUES) {
    const node = pending.pop()!;
    if (typeof node.value === 'string') {
      const reason = unstorableTextReason(node.value);
      if (reason) issues.push({ path: pathOf(node), message: reason });
    } else if (Array.isArray(node.value)) {
      for (let i = node.value.length - 1; i >= 0; i--) pending.push({ value: node.value[i] as unknown, key: i, parent: node });
    } else if (node.value !== null && typeof node.value === 'object') {
      const entries = Object.entries(node.value as Record<string, unknown>);
      for (const [key] of entries) {
        const reason = unstorableTextReason(key);
        if (reason) issues.push({ path: pathOf(node, printableKey(key)), message: `key ${reason}` });
      }
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        if (unstorableTextReason(key) === null) pending.push({ value: child, key, parent: node });
      }
    }
  }
  return issues.slice(0, MAX_ISSUES);
}
