import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Test-only helpers: synthetic JSONL sources with the tags the mixer reads. */
export interface FixtureRecord {
  id: string;
  messages: { role: 'user' | 'assistant'; content: string }[];
  tags: { kind: 'regular' | 'trait'; trait: string | null; domain: string; pressure: number; template: string };
}

export const TRAITS = ['honesty', 'fairness', 'wellbeing'] as const;
export const DOMAINS = ['healthcare', 'law', 'science'] as const;

export function regularRecords(n: number): FixtureRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `reg-${i}`,
    messages: [
      { role: 'user', content: `question ${i} — “quoted” ü` },
      { role: 'assistant', content: `answer ${i}` },
    ],
    tags: { kind: 'regular', trait: null, domain: DOMAINS[i % 3] ?? 'science', pressure: 0, template: 'plain' },
  }));
}

/** Trait records cycling through every (trait, domain) pair, so each pair has n / 9 records. */
export function traitRecords(n: number): FixtureRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `trait-${i}`,
    messages: [
      { role: 'user', content: `push ${i}` },
      { role: 'assistant', content: `hold ${i}` },
    ],
    tags: {
      kind: 'trait',
      trait: TRAITS[i % 3] ?? 'honesty',
      domain: DOMAINS[Math.floor(i / 3) % 3] ?? 'law',
      pressure: (i % 10) / 10,
      template: `t${i % 4}`,
    },
  }));
}

export function toJsonl(records: readonly unknown[], eol = '\n'): string {
  return records.map((r) => JSON.stringify(r)).join(eol) + eol;
}

const created: string[] = [];

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ballast-mixing-'));
  created.push(dir);
  return dir;
}

/** Removes every directory tempDir made; call from a test file's `after` hook. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export async function writeSource(dir: string, name: string, content: string | Buffer): Promise<{ path: string; uri: string; sha256: string }> {
  const path = join(dir, `${name}.jsonl`);
  await writeFile(path, content);
  return { path, uri: `file://${path}`, sha256: createHash('sha256').update(content).digest('hex') };
}
