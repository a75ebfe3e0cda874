// The Debian packages the tests use, and installing the missing ones (as root, with apt-get) in one go.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * command → Debian package that provides it. zstd and OpenSSH for the SSH login-node tests
 * (infra/ssh/up.sh); munge and Slurm for the single-node cluster (infra/slurm/up.sh, which lists the
 * same packages for people running it by hand).
 */
export const TEST_SYSTEM_PACKAGES = {
  zstd: 'zstd',
  ssh: 'openssh-client',
  sshd: 'openssh-server',
  munged: 'munge',
  slurmctld: 'slurmctld',
  slurmd: 'slurmd',
  sbatch: 'slurm-client',
  // Headless Chromium for the HTML report's browser test (packages/reporting/src/html), driven by puppeteer-core.
  chromium: 'chromium',
};

// Daemons live in /usr/sbin, which a non-login PATH may lack.
const SEARCH = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'].filter(Boolean);

export function onPath(command) {
  return SEARCH.some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export function missingSystemPackages(packages = TEST_SYSTEM_PACKAGES) {
  return [...new Set(Object.entries(packages).filter(([command]) => !onPath(command)).map(([, pkg]) => pkg))];
}

export function ensureSystemPackages(packages = TEST_SYSTEM_PACKAGES) {
  const missing = missingSystemPackages(packages);
  if (missing.length === 0) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !onPath('apt-get')) {
    throw new Error(`the tests need these Debian packages: ${missing.join(' ')} (install them with apt-get install ${missing.join(' ')})`);
  }
  process.stdout.write(`installing Debian packages the tests use: ${missing.join(' ')} (first use only)\n`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}
