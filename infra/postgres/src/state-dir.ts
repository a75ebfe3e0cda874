import { chmodSync, chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Thrown when the `postgres` user could not reach its data directory through `dir`. */
export class DataDirectoryNotReachableError extends Error {
  readonly code = 'POSTGRES_DIR_NOT_REACHABLE';
  constructor(readonly dir: string) {
    super(
      `the postgres system user cannot enter ${dir} (no 'x' permission for others); leave database.embeddedDataDir ` +
        `(BALLAST_POSTGRES_DATA_DIR) unset so that it defaults outside BALLAST_HOME, or point it at a directory whose parents are world-traversable`,
    );
    this.name = 'DataDirectoryNotReachableError';
  }
}

function assertTraversable(dir: string): void {
  for (let current = dir; ; current = dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) throw new DataDirectoryNotReachableError(current);
    if (dirname(current) === current) return;
  }
}

/** Creates `dir` and its missing parents, each with exactly `mode` whatever the umask. */
function makeDirs(dir: string, mode: number): void {
  if (existsSync(dir)) return;
  makeDirs(dirname(dir), mode);
  mkdirSync(dir, { mode });
  chmodSync(dir, mode);
}

/**
 * Prepares the embedded PostgreSQL's state directory: 0700, and as root owned by `postgres`.
 * Not root, missing parents are created 0700 too (they lie under BALLAST_HOME). As root, the state
 * directory defaults outside BALLAST_HOME (e.g. /var/lib/ballast/postgres/<hash>); the parents created
 * here are 0755 so that `postgres` can reach it, and existing parents must already let it through.
 */
export function ensureStateDir(stateDir: string, owner: { uid: number; gid: number } | null): void {
  makeDirs(dirname(stateDir), owner ? 0o755 : 0o700);
  if (owner) assertTraversable(dirname(stateDir));
  makeDirs(stateDir, 0o700);
  chmodSync(stateDir, 0o700);
  if (owner) chownSync(stateDir, owner.uid, owner.gid);
}
