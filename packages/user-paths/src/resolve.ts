import { closeSync, fstatSync, openSync, readdirSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { UserPathError } from './errors.js';
import { OPEN_FLAGS } from './open-flags.js';
import { absolutePathOf } from './parse-name.js';
import { isUnder, realRoots, specialTreeOf } from './roots.js';

export interface ResolveUserPathOptions {
  /** Where the name came from, e.g. `spec.datasets.traits.uri`; every error names it. */
  readonly field: string;
  /** Directories a user's path may resolve into (resolved with realpath before comparing). */
  readonly roots: readonly string[];
  /** How the operator widens the roots, quoted when a path is refused, e.g. `datasets.allowedRoots`. */
  readonly rootsSetting: string;
  /** `directory`: the name is a directory of shard files (each a regular file inside the roots). Default `file`. */
  readonly expect?: 'file' | 'directory';
}

export interface ResolvedFile {
  /** The real path (no symlinks, no `..`), inside one of the roots. */
  readonly path: string;
  readonly bytes: number;
}

export type ResolvedUserPath =
  | ({ readonly kind: 'file' } & ResolvedFile)
  | { readonly kind: 'directory'; readonly path: string; readonly shards: readonly ResolvedFile[] };

interface Check {
  readonly field: string;
  readonly given: string;
  readonly roots: readonly string[];
  readonly rootsSetting: string;
}

/**
 * Resolves a path a user named (a `file://` URI or an absolute path) to a real path inside the allowed
 * roots, and checks that it is a regular file, or with `expect: 'directory'` a directory whose shard
 * files (its entries not starting with '.') each are. Throws UserPathError with a stable code.
 *
 * Time of check against time of use: the file is opened (O_NOFOLLOW, O_NONBLOCK so a FIFO swapped in
 * cannot block) and checked again through the descriptor: fstat (still a regular file, the same inode)
 * and /proc/self/fd (still inside the roots). Readers re-open the returned path, because the mixing
 * engine and training jobs take paths; the path has no symlinks left, so replacing it in that short
 * window needs write access inside an allowed root, which only the operator has.
 */
export function resolveUserPath(given: string, options: ResolveUserPathOptions): ResolvedUserPath {
  const check: Check = {
    field: options.field,
    given,
    roots: realRoots(options.roots),
    rootsSetting: options.rootsSetting,
  };
  const absolute = absolutePathOf(given, check.field);
  const real = realPathInside(absolute, check);
  if (options.expect !== 'directory') return { kind: 'file', ...openRegularFile(real, check) };
  return { kind: 'directory', path: real, shards: shardsOf(real, check) };
}

/** The realpath of `absolute`, refused unless it lies inside a root and outside /proc, /sys and /dev. */
function realPathInside(absolute: string, check: Check): string {
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch (error) {
    // Whether something exists outside the roots is none of the user's business: a missing name that
    // would lie outside them is refused as outside, so the resolver cannot probe the host.
    const lexicallyInside = check.roots.some((root) => isUnder(absolute, root));
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw UserPathError.invalid(check.field, check.given, 'too many levels of symbolic links');
    if (code === 'ENAMETOOLONG') throw UserPathError.invalid(check.field, check.given, 'name too long');
    if (!lexicallyInside) throw UserPathError.outsideRoots(check.field, check.given, check.rootsSetting);
    if (code === 'EACCES') throw UserPathError.notReadable(check.field, check.given);
    throw UserPathError.notFound(check.field, check.given);
  }
  if (!check.roots.some((root) => isUnder(real, root))) throw UserPathError.outsideRoots(check.field, check.given, check.rootsSetting);
  const tree = specialTreeOf(real);
  if (tree) throw UserPathError.notRegularFile(check.field, check.given, `under ${tree}`);
  return real;
}

function describe(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'a regular file';
}

/** Opens `real` (already inside the roots) and checks through the descriptor what was opened. */
function openRegularFile(real: string, check: Check): ResolvedFile {
  let before: Stats;
  try {
    before = statSync(real);
  } catch {
    throw UserPathError.notFound(check.field, check.given);
  }
  // Checked before opening: opening a device or a FIFO can have effects of its own.
  if (!before.isFile()) throw UserPathError.notRegularFile(check.field, check.given, describe(before));
  let fd: number;
  try {
    fd = openSync(real, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw UserPathError.notReadable(check.field, check.given);
    if (code === 'ENOENT') throw UserPathError.notFound(check.field, check.given);
    throw UserPathError.notRegularFile(check.field, check.given, 'an object that changed while it was being checked');
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) throw UserPathError.notRegularFile(check.field, check.given, describe(opened));
    if (opened.ino !== before.ino || opened.dev !== before.dev) {
      throw UserPathError.notRegularFile(check.field, check.given, 'a file that was replaced while it was being checked');
    }
    const openedPath = pathOfDescriptor(fd);
    if (openedPath !== null && !check.roots.some((root) => isUnder(openedPath, root))) {
      throw UserPathError.outsideRoots(check.field, check.given, check.rootsSetting);
    }
    return { path: real, bytes: opened.size };
  } finally {
    closeSync(fd);
  }
}

/** Where the kernel says an open descriptor points; null where /proc is not mounted. */
function pathOfDescriptor(fd: number): string | null {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return null;
  }
}

/** The shard files of a declared directory, sorted by name; each is checked like a single file. */
function shardsOf(real: string, check: Check): ResolvedFile[] {
  let stats: Stats;
  try {
    stats = statSync(real);
  } catch {
    throw UserPathError.notFound(check.field, check.given);
  }
  if (!stats.isDirectory()) throw UserPathError.notDirectory(check.field, check.given, describe(stats));
  let names: string[];
  try {
    names = readdirSync(real).filter((name) => !name.startsWith('.')).sort();
  } catch {
    throw UserPathError.notReadable(check.field, check.given);
  }
  if (names.length === 0) throw UserPathError.notFound(check.field, check.given, 'is a directory with no shard files');
  return names.map((name) => {
    const shard: Check = { ...check, given: join(check.given, name) };
    return openRegularFile(realPathInside(join(real, name), shard), shard);
  });
}
