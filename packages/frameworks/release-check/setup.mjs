// The release check's environment: a small venv with Hydra and OmegaConf (requirements.lock) holding
// verl's wheel installed --no-deps, so the Hydra YAML that verl ships is on disk, and the pinned
// framework wheels (releases.json), each verified by sha256. Nothing that needs torch or a GPU is
// installed or imported. Idempotent: a marker in the venv holds the hash of the lock files, and a
// venv is built beside the old one and renamed into place, so an interrupted build leaves nothing half-done.
//
//   node packages/frameworks/release-check/setup.mjs [toolsDir]   # prints what it did as JSON
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const LOCK_FILE = join(here, 'requirements.lock');
const RELEASES_FILE = join(here, 'releases.json');
const MARKER_FILE = 'ballast-release-check.json';
// Bumped when the layout below changes, so an existing venv is rebuilt.
const LAYOUT_VERSION = 1;

/** Where the release check keeps its venv and wheels under `toolsDir`. */
export function releaseCheckPaths(toolsDir) {
  const venvDir = join(toolsDir, 'release-check-venv');
  return { venvDir, wheelsDir: join(toolsDir, 'release-check-wheels'), python: join(venvDir, 'bin', 'python'), marker: join(venvDir, MARKER_FILE) };
}

/** The pinned framework wheels: `{ name, version, file, sha256, install, platform? }[]`. */
export function pinnedReleases() {
  return JSON.parse(readFileSync(RELEASES_FILE, 'utf8')).wheels;
}

/** `name==version` lines of requirements.lock. */
function lockedRequirements() {
  return readFileSync(LOCK_FILE, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

function lockHash() {
  return createHash('sha256').update(`${LAYOUT_VERSION}\0${readFileSync(LOCK_FILE, 'utf8')}\0${readFileSync(RELEASES_FILE, 'utf8')}`).digest('hex');
}

function sha256File(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function dirBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) total += dirBytes(p);
    else if (entry.isFile()) total += statSync(p).size;
  }
  return total;
}

function run(command, args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false, env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise(out);
      else reject(new Error(`release-check setup: '${[command, ...args].join(' ')}' exited with ${code}:\n${out.slice(-4000)}`));
    });
  });
}

function wheelsPresent(wheelsDir) {
  return pinnedReleases().every((w) => existsSync(join(wheelsDir, w.file)) && sha256File(join(wheelsDir, w.file)) === w.sha256);
}

function describe(toolsDir, seconds, installed) {
  const { venvDir, wheelsDir, python } = releaseCheckPaths(toolsDir);
  return {
    python,
    venvDir,
    wheelsDir,
    wheels: pinnedReleases().map((w) => ({ name: w.name, version: w.version, path: join(wheelsDir, w.file) })),
    installed,
    seconds,
  };
}

/**
 * Makes sure the release-check venv and wheels exist and match the lock files; returns their paths,
 * whether anything was installed, and the seconds it took. Downloads from PyPI only when building.
 * `hostPython` makes the venv (default `python3` on PATH); `log` gets progress lines.
 */
export async function ensureReleaseCheckEnv(toolsDir, { hostPython = 'python3', log = (line) => console.log(line) } = {}) {
  toolsDir = resolve(toolsDir);
  const paths = releaseCheckPaths(toolsDir);
  const hash = lockHash();
  let marker = null;
  try {
    marker = JSON.parse(readFileSync(paths.marker, 'utf8'));
  } catch {
    marker = null;
  }
  if (marker?.lockHash === hash && existsSync(paths.python) && wheelsPresent(paths.wheelsDir)) return describe(toolsDir, 0, false);

  const started = Date.now();
  const step = (what) => log(`[release-check] ${what} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  step(`building ${paths.venvDir} (first use, or the lock files changed)`);
  mkdirSync(paths.wheelsDir, { recursive: true });
  const partial = `${paths.venvDir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  await run(hostPython, ['-m', 'venv', partial]);
  const python = join(partial, 'bin', 'python');

  for (const w of pinnedReleases()) {
    const file = join(paths.wheelsDir, w.file);
    if (existsSync(file) && sha256File(file) === w.sha256) continue;
    rmSync(file, { force: true });
    step(`downloading ${w.name}==${w.version} (--no-deps)`);
    const platform = w.platform
      ? ['--only-binary=:all:', '--python-version', w.platform.pythonVersion, '--platform', w.platform.platform, '--implementation', w.platform.implementation]
      : [];
    await run(python, ['-m', 'pip', 'download', '--quiet', '--no-deps', ...platform, '--dest', paths.wheelsDir, `${w.name}==${w.version}`]);
    if (!existsSync(file)) throw new Error(`release-check setup: pip did not download ${w.file} for ${w.name}==${w.version}`);
    const got = sha256File(file);
    if (got !== w.sha256) {
      rmSync(file, { force: true });
      throw new Error(`release-check setup: ${w.file} has sha256 ${got}, releases.json pins ${w.sha256}`);
    }
  }

  step('installing hydra-core and omegaconf from requirements.lock');
  // Wheels (antlr4's runtime is an sdist, built once here) go into the wheels dir, so a rebuild is offline.
  await run(python, ['-m', 'pip', 'wheel', '--quiet', '--no-deps', '-r', LOCK_FILE, '--wheel-dir', paths.wheelsDir]);
  await run(python, ['-m', 'pip', 'install', '--quiet', '--no-deps', '--no-index', '--find-links', paths.wheelsDir, '-r', LOCK_FILE]);
  for (const w of pinnedReleases().filter((x) => x.install)) {
    step(`installing ${w.name}==${w.version} (--no-deps: its YAML, none of its dependencies)`);
    await run(python, ['-m', 'pip', 'install', '--quiet', '--no-deps', '--no-index', join(paths.wheelsDir, w.file)]);
  }

  const wanted = [...lockedRequirements(), ...pinnedReleases().filter((x) => x.install).map((w) => `${w.name}==${w.version}`)];
  const names = wanted.map((r) => r.split('==')[0]);
  const versions = JSON.parse(
    await run(python, ['-c', 'import importlib.metadata as m, json, sys; print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))', ...names]),
  );
  for (const r of wanted) {
    const [name, version] = r.split('==');
    if (versions[name] !== version) throw new Error(`release-check setup: ${name} is ${versions[name]} in the venv, the lock pins ${version}`);
  }

  const seconds = (Date.now() - started) / 1000;
  writeFileSync(join(partial, MARKER_FILE), `${JSON.stringify({ lockHash: hash, versions, seconds, at: new Date().toISOString() }, null, 2)}\n`);
  rmSync(paths.venvDir, { recursive: true, force: true });
  try {
    renameSync(partial, paths.venvDir);
  } catch (err) {
    // Another process built it at the same time: keep theirs if it is the same lock.
    rmSync(partial, { recursive: true, force: true });
    if (JSON.parse(readFileSync(paths.marker, 'utf8')).lockHash !== hash) throw err;
  }
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  step(`ready: venv ${mb(dirBytes(paths.venvDir))}, wheels ${mb(dirBytes(paths.wheelsDir))}`);
  return describe(toolsDir, seconds, true);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const toolsDir = process.argv[2] ?? join(here, '..', '..', '..', '.tools');
  console.log(JSON.stringify(await ensureReleaseCheckEnv(toolsDir), null, 2));
}
