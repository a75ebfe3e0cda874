// Installs the Debian packages the tests use when they are missing (as root, with apt-get), once.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** command on PATH → Debian package that provides it */
export const TEST_SYSTEM_PACKAGES = { zstd: 'zstd', ssh: 'openssh-client', sshd: 'openssh-server' };

function onPath(command) {
  // Daemons live in /usr/sbin, which a non-login PATH may lack.
  if (existsSync(`/usr/sbin/${command}`)) return true;
  try {
    execFileSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function ensureSystemPackages(packages = TEST_SYSTEM_PACKAGES) {
  const missing = Object.entries(packages).filter(([command]) => !onPath(command)).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !existsSync('/usr/bin/apt-get')) {
    throw new Error(`the tests need these Debian packages: ${missing.join(' ')} (install them with apt-get install ${missing.join(' ')})`);
  }
  process.stdout.write(`installing Debian packages the tests use: ${missing.join(' ')} (first use only)\n`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}
