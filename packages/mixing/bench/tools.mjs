// Preflight for the bench: the external tools it measures or measures with, installed when missing
// where that is possible (Debian packages as root; a project-local venv for HF datasets).
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TIME_BIN = '/usr/bin/time';
export const DATASETS_VERSION = '5.0.1';

const isRoot = () => process.getuid?.() === 0;
const onPath = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
let aptUpdated = false;

/** Installs a Debian package as root; returns false (after saying how) when that is not possible. */
function aptInstall(pkg, why, log) {
  if (!isRoot()) {
    log(`${why}: not root, so not installing it; run 'sudo apt-get update && sudo apt-get install -y ${pkg}'`);
    return false;
  }
  log(`${why}: installing Debian package '${pkg}' (apt-get)`);
  if (!aptUpdated) {
    spawnSync('apt-get', ['update'], { stdio: 'ignore' });
    aptUpdated = true;
  }
  return spawnSync('apt-get', ['install', '-y', pkg], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
}

/** GNU time measures each tool's peak RSS; without it the bench cannot run. */
export function ensureTime(log) {
  if (existsSync(TIME_BIN)) return true;
  return aptInstall('time', `${TIME_BIN} (GNU time, for peak RSS) is missing`, log) && existsSync(TIME_BIN);
}

/** jq is one of the tools compared; without it that row is skipped. */
export function ensureJq(log) {
  if (onPath('jq')) return true;
  return aptInstall('jq', 'jq is missing', log) && onPath('jq');
}

/**
 * The project-local venv with Hugging Face datasets at a pinned version, made on first use.
 * Returns the venv's python, or null (after saying why) when it cannot be made.
 */
export function ensureHfVenv(repoRoot, logDir, log) {
  const venv = join(repoRoot, '.tools', 'bench-venv');
  const python = join(venv, 'bin', 'python');
  const check = `import sys, datasets; sys.exit(datasets.__version__ != '${DATASETS_VERSION}')`;
  if (existsSync(python) && spawnSync(python, ['-c', check], { stdio: 'ignore' }).status === 0) return python;
  const logFile = join(logDir, 'venv-install.log');
  log(`HF datasets: creating venv ${venv} with datasets==${DATASETS_VERSION} (first use only; pip log in ${logFile})`);
  const made = spawnSync('python3', ['-m', 'venv', venv], { encoding: 'utf8' });
  const pip = made.status === 0
    ? spawnSync(join(venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', `datasets==${DATASETS_VERSION}`], { encoding: 'utf8' })
    : made;
  writeFileSync(logFile, `${pip.stdout ?? ''}${pip.stderr ?? ''}`);
  if (pip.status !== 0 || spawnSync(python, ['-c', check], { stdio: 'ignore' }).status !== 0) {
    log(`HF datasets: venv setup failed (see ${logFile}); skipping the HF rows`);
    return null;
  }
  return python;
}
