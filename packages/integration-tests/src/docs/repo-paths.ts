import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const TOP = ['packages', 'apps', 'infra', 'scripts', 'examples', 'docs', '\\.ci'];
// A path starts at a top-level folder that is not itself part of a longer name (BALLAST_HOME/docs, x.docs/).
const PATH = new RegExp(`(?<![\\w./$@<>-])((?:${TOP.join('|')})/[\\w.*<>…/-]*)`, 'g');

/** Repository paths (`packages/...`, `infra/...`, ...) named in a text, without trailing punctuation. */
export function repoPathsIn(text: string): string[] {
  return [...text.replace(/<br\s*\/?>/g, ' ').matchAll(PATH)].map((m) => m[1]!.replace(/[.…]+$/, '').replace(/\/+$/, '')).filter((p) => p.includes('/'));
}

/** A path segment with `*`, `<placeholder>` or `…` as wildcards. */
function segmentPattern(segment: string): RegExp {
  const source = segment
    .split(/(\*|<[^>]*>|…)/)
    .map((part, i) => (i % 2 === 1 ? '.+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** Whether something on disk matches `path` (relative to root; wildcards allowed in any segment). */
export function pathExists(root: string, path: string): boolean {
  let candidates = [root];
  for (const segment of path.split('/').filter((s) => s !== '')) {
    const wild = /\*|<[^>]*>|…/.test(segment);
    const next: string[] = [];
    for (const dir of candidates) {
      if (!wild) {
        if (existsSync(join(dir, segment))) next.push(join(dir, segment));
        continue;
      }
      if (!statSync(dir).isDirectory()) continue;
      const pattern = segmentPattern(segment);
      for (const entry of readdirSync(dir)) if (pattern.test(entry)) next.push(join(dir, entry));
    }
    candidates = next;
    if (candidates.length === 0) return false;
  }
  return true;
}

/**
 * The folders named by the README's repository tree (the fenced block under "## Repository"): each line is
 * `NAME[, NAME]  description`, indented two spaces per level below its parent.
 */
export function treePaths(tree: string): string[] {
  const parents: string[] = [];
  const paths: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^( *)(\S.*?)(?: {2,}.*)?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 2;
    parents.length = depth;
    const names = match[2]!.split(/,\s*/);
    for (const name of names) paths.push([...parents, name.replace(/\/$/, '')].join('/'));
    parents.push(names[0]!.replace(/\/$/, ''));
  }
  return paths;
}
