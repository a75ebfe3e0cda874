import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { repositoryRoot, type BallastConfig } from '@ballast/config';

/** Ballast's version, its git commit (null outside a checkout) and who runs it, for every experiment. */
export function readProvenance(config: Pick<BallastConfig, 'user'>) {
  const root = repositoryRoot();
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  let gitCommit: string | null = null;
  try {
    gitCommit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    gitCommit = null;
  }
  let defaultUser = config.user;
  if (!defaultUser) {
    try {
      defaultUser = userInfo().username;
    } catch {
      defaultUser = 'unknown';
    }
  }
  return { ballastVersion: version, gitCommit, defaultUser };
}
