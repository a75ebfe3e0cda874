import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Whether `path` is `root` or lies below it, compared by path segments: `/data/sets2` is not under
 * `/data/sets`, which a string-prefix test would accept.
 */
export function isUnder(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/**
 * The roots as the file system sees them (symlinks resolved), so that they compare with a resolved
 * path. Relative roots are dropped because their meaning would depend on the working directory.
 */
export function realRoots(roots: readonly string[]): string[] {
  const real: string[] = [];
  for (const root of roots) {
    if (!isAbsolute(root)) continue;
    try {
      real.push(realpathSync(resolve(root)));
    } catch {
      // Missing: nothing exists below it, but a name below it is reported as not found, not as outside.
      real.push(resolve(root));
    }
  }
  return real;
}

/** Trees of kernel and device objects: never user data, whatever the roots say (a root of `/` included). */
const SPECIAL_TREES = ['/proc', '/sys', '/dev'];

export function specialTreeOf(path: string): string | null {
  return SPECIAL_TREES.find((tree) => isUnder(path, tree)) ?? null;
}
