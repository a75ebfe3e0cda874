// Builds the project-local ML venv (<toolsDir>/ml-venv) from the pinned lock (requirements/ml.lock).
// A plain module, so `npm run setup:ml` and the test setup run it before anything is built.
//
// Downloads go to <toolsDir>/pip-wheels and stay there: pip's own cache kept nothing across venvs on
// these machines, and the lock is about 3 GB. The venv is built in place and the marker
// (<venv>/.ballast-ml.json, with the lock's sha256) is written last: a venv cannot be built elsewhere
// and renamed, since pip bakes the venv's path into the shebang of every console script (trl,
// accelerate, inspect, lm_eval). A venv without a valid marker is half-built or stale and is removed.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createWriteStream, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pinned lock this package ships. */
export const LOCK_FILE = fileURLToPath(new URL('../requirements/ml.lock', import.meta.url));
/** Written into the venv last; its lock hash says which lock the venv was built from. */
export const MARKER_FILE = '.ballast-ml.json';
/** What a usable default environment must import. */
export const IMPORT_CHECK = 'import trl, inspect_ai, lm_eval';
const MARKER_VERSION = 1;
const LOG_TAIL_LINES = 40;
const HEARTBEAT_MS = 30_000;
// Installed by ensurepip into every venv; a lock made with `pip freeze` (without --all) leaves them out.
const VENV_OWN = new Set(['pip', 'setuptools', 'wheel', 'distribute']);
const SDIST = /\.(tar\.gz|zip|tar\.bz2)$/;

/** Thrown when a step of the setup fails; `step` names it, `logTail` holds the end of the tool's output. */
export class MlSetupError extends Error {
  constructor(step, message, logTail = '') {
    super(`${step}: ${message}`);
    this.name = 'MlSetupError';
    this.code = 'ML_SETUP_FAILED';
    this.step = step;
    this.logTail = logTail;
  }
}

/** Where the venv, its interpreter, its marker, the wheel directory and the setup log live. */
export function mlVenvPaths(toolsDir) {
  const venv = join(toolsDir, 'ml-venv');
  return {
    venv,
    python: join(venv, 'bin', 'python'),
    marker: join(venv, MARKER_FILE),
    wheels: join(toolsDir, 'pip-wheels'),
    log: join(toolsDir, 'ml-venv-setup.log'),
    busy: join(toolsDir, 'ml-venv-setup.pid'),
  };
}

/** PEP 503 name normalisation, with `_` so it compares equal to a wheel file's name field. */
export const canonicalName = (name) => name.toLowerCase().replace(/[-_.]+/g, '_');

/** The `name==version` lines of a lock (`pip freeze` output); anything else is refused by line number. */
export function parseLock(text) {
  const requirements = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s=;]+)$/.exec(line);
    if (!match) throw new MlSetupError('reading the lock', `line ${i + 1} is not 'name==version': ${JSON.stringify(line)}`);
    requirements.push({ name: match[1], version: match[2], line });
  });
  return requirements;
}

/** Name and version of a wheel or sdist file name; null for anything else. */
export function distributionFile(file) {
  const wheel = /^([^-]+)-([^-]+)-.+\.whl$/.exec(file);
  if (wheel) return { name: canonicalName(wheel[1]), version: wheel[2].toLowerCase() };
  const sdist = /^(.+)-([^-]+)\.(tar\.gz|zip|tar\.bz2)$/.exec(file);
  if (sdist) return { name: canonicalName(sdist[1]), version: sdist[2].toLowerCase() };
  return null;
}

const key = (name, version) => `${canonicalName(name)}==${version.toLowerCase()}`;

/** The lock's requirements that have no wheel in `wheelDir` yet. */
export function missingWheels(requirements, wheelDir) {
  const present = new Set();
  if (existsSync(wheelDir)) {
    for (const file of readdirSync(wheelDir)) {
      const dist = file.endsWith('.whl') ? distributionFile(file) : null;
      if (dist) present.add(`${dist.name}==${dist.version}`);
    }
  }
  return requirements.filter((r) => !present.has(key(r.name, r.version)));
}

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

function readMarker(file) {
  try {
    const marker = JSON.parse(readFileSync(file, 'utf8'));
    return marker.version === MARKER_VERSION && typeof marker.lockSha256 === 'string' ? marker : null;
  } catch {
    return null;
  }
}

/** Bytes under a path (no links followed). */
export function diskBytes(path) {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + diskBytes(join(path, name)), 0);
}

export const formatBytes = (bytes) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`);

/**
 * Runs a program (argv, no shell), streaming its output lines to `onLine` and to the setup log, and
 * keeping a tail for the error. Resolves with the exit code; rejects only when it cannot start.
 */
function runLogged(argv, { env, logStream, onLine = () => {} }) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = [];
    let partial = { stdout: '', stderr: '' };
    const take = (stream, chunk) => {
      logStream?.write(chunk);
      const lines = (partial[stream] + chunk.toString()).split('\n');
      partial[stream] = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line);
        if (tail.length > LOG_TAIL_LINES) tail.shift();
        onLine(line);
      }
    };
    child.stdout.on('data', (c) => take('stdout', c));
    child.stderr.on('data', (c) => take('stderr', c));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const rest of Object.values(partial)) if (rest) tail.push(rest);
      resolve({ code: code ?? 1, signal, tail: tail.slice(-LOG_TAIL_LINES).join('\n') });
    });
  });
}

/** Runs a short check; resolves with the exit code and its output. */
function runQuiet(argv, env) {
  return runLogged(argv, { env }).catch((error) => ({ code: 127, tail: String(error.message) }));
}

// Without PYTHONNOUSERSITE a package in ~/.local could satisfy the import check for a broken venv.
const pythonEnv = () => ({ ...process.env, PYTHONNOUSERSITE: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' });

async function importsWork(python, importCheck) {
  if (!existsSync(python)) return false;
  return (await runQuiet([python, '-c', importCheck], pythonEnv())).code === 0;
}

/** Whether the venv holds exactly the lock's distributions (ensurepip's own aside, unless the lock pins them). */
async function holdsExactly(python, requirements) {
  const list = 'import importlib.metadata as m, json; print(json.dumps(sorted({d.metadata["Name"] + "==" + d.version for d in m.distributions()})))';
  const out = await runQuiet([python, '-c', list], pythonEnv());
  if (out.code !== 0) return false;
  let installed;
  try {
    installed = JSON.parse(out.tail.trim().split('\n').pop() ?? '');
  } catch {
    return false;
  }
  const pinned = new Set(requirements.map((r) => canonicalName(r.name)));
  const have = new Set(
    installed
      .map((s) => s.split('=='))
      .filter(([n]) => pinned.has(canonicalName(n)) || !VENV_OWN.has(canonicalName(n)))
      .map(([n, v]) => key(n, v)),
  );
  const want = new Set(requirements.map((r) => key(r.name, r.version)));
  return have.size === want.size && [...want].every((k) => have.has(k));
}

/** One setup per tools directory at a time: a pid file, taken over when its process is gone. */
function takeBusyFile(file) {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8'));
      let alive = false;
      try {
        process.kill(pid, 0);
        alive = pid > 0;
      } catch (e) {
        alive = e.code === 'EPERM';
      }
      if (alive) throw new MlSetupError('starting', `another ML environment setup (pid ${pid}) is running for this tools directory (${file}); wait for it to finish`);
      rmSync(file, { force: true });
    }
  }
  throw new MlSetupError('starting', `could not take ${file}`);
}

/**
 * Makes sure `<toolsDir>/ml-venv` is built from the lock. Does nothing (one line) when the marker
 * matches the lock and the venv imports what it must; adopts a venv without a marker that holds
 * exactly the lock; otherwise removes the venv and builds it again, downloading only the wheels
 * `<toolsDir>/pip-wheels` lacks. Progress goes to `log` (stderr by default).
 *
 * `installSystemPackages(packages)` is called when the base Python has no venv module (Debian's
 * python3-venv); without it, that is an error naming the package.
 */
export async function ensureMlVenv({
  toolsDir,
  lockFile = LOCK_FILE,
  basePython = 'python3',
  importCheck = IMPORT_CHECK,
  log = (line) => process.stderr.write(`${line}\n`),
  installSystemPackages,
} = {}) {
  if (!toolsDir) throw new MlSetupError('starting', 'toolsDir is required');
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  const paths = mlVenvPaths(toolsDir);
  const lockSha256 = sha256(lockFile);
  const requirements = parseLock(readFileSync(lockFile, 'utf8'));
  const base = { venv: paths.venv, python: paths.python, lockSha256 };

  const marker = readMarker(paths.marker);
  if (marker?.lockSha256 === lockSha256 && (await importsWork(paths.python, importCheck))) {
    log(`ML environment is up to date: ${paths.venv} (lock sha256 ${lockSha256.slice(0, 12)}…)`);
    return { ...base, action: 'none', seconds: (Date.now() - started) / 1000 };
  }

  mkdirSync(toolsDir, { recursive: true });
  const release = takeBusyFile(paths.busy);
  try {
    if (!marker && existsSync(paths.venv) && (await holdsExactly(paths.python, requirements)) && (await importsWork(paths.python, importCheck))) {
      writeMarker(paths.marker, { lockSha256, adopted: true, seconds: 0 });
      log(`ML environment ${paths.venv} already holds exactly the lock; marked as built from it (${elapsed()})`);
      return { ...base, action: 'adopted', seconds: (Date.now() - started) / 1000 };
    }
    if (existsSync(paths.venv)) {
      log(`removing ${paths.venv}: ${marker ? 'built from another lock, or it no longer imports' : 'no marker, so an interrupted or foreign build'}`);
      rmSync(paths.venv, { recursive: true, force: true });
    }
    const logStream = createWriteStream(paths.log, { flags: 'w' });
    try {
      const result = await build({ paths, lockFile, requirements, basePython, importCheck, log, elapsed, logStream, installSystemPackages });
      writeMarker(paths.marker, { lockSha256, basePython, seconds: (Date.now() - started) / 1000 });
      const venvBytes = diskBytes(paths.venv);
      log(`ML environment ready: ${paths.venv} (${formatBytes(venvBytes)}; downloaded ${formatBytes(result.downloadedBytes)}; ${elapsed()})`);
      return { ...base, action: 'built', seconds: (Date.now() - started) / 1000, venvBytes, ...result };
    } finally {
      await new Promise((resolve) => logStream.end(resolve));
    }
  } finally {
    release();
  }
}

function writeMarker(file, fields) {
  writeFileSync(file, `${JSON.stringify({ version: MARKER_VERSION, ...fields, builtAt: new Date().toISOString() }, null, 2)}\n`);
}

async function build({ paths, lockFile, requirements, basePython, importCheck, log, elapsed, logStream, installSystemPackages }) {
  const env = pythonEnv();
  const fail = (step, message, tail) => new MlSetupError(step, `${message} (full log: ${paths.log})`, tail);

  const version = await runQuiet([basePython, '-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], env);
  if (version.code !== 0) throw fail('finding Python', `${basePython} did not run; install Python 3.11 or pass another interpreter`, version.tail);
  const pythonVersion = version.tail.trim();
  if (!pythonVersion.startsWith('3.11.')) log(`warning: the lock was resolved for Python 3.11; ${basePython} is ${pythonVersion}, some pinned wheels may not exist for it`);
  if ((await runQuiet([basePython, '-c', 'import venv, ensurepip'], env)).code !== 0) {
    if (!installSystemPackages) throw fail('creating the venv', `${basePython} has no venv module; on Debian/Ubuntu install it with: apt-get install python3-venv`, '');
    await installSystemPackages(['python3-venv']);
  }

  log(`creating ${paths.venv} with ${basePython} (Python ${pythonVersion})`);
  const venv = await runLogged([basePython, '-m', 'venv', paths.venv], { env, logStream });
  if (venv.code !== 0) throw fail('creating the venv', `${basePython} -m venv exited ${venv.code}`, venv.tail);

  mkdirSync(paths.wheels, { recursive: true });
  const downloaded = await download({ paths, requirements, env, log, elapsed, logStream, fail });

  if (requirements.length > 0) {
    log(`installing ${requirements.length} packages from ${paths.wheels} (no index) … (${elapsed()})`);
    const heartbeat = setInterval(() => log(`  still installing … (${elapsed()})`), HEARTBEAT_MS);
    const install = await runLogged(
      [paths.python, '-m', 'pip', 'install', '--no-index', '--no-deps', '--find-links', paths.wheels, '--progress-bar', 'off', '-r', lockFile],
      { env, logStream },
    ).finally(() => clearInterval(heartbeat));
    if (install.code !== 0) throw fail('installing', `pip install exited ${install.code}`, install.tail);
  }

  log(`checking: ${importCheck} (${elapsed()})`);
  const check = await runLogged([paths.python, '-c', importCheck], { env, logStream });
  if (check.code !== 0) throw fail('checking the imports', `${importCheck} failed in the new venv`, check.tail);
  return { downloadedFiles: downloaded.files, downloadedBytes: downloaded.bytes, wheelBytes: diskBytes(paths.wheels), pythonVersion };
}

/**
 * Downloads the wheels the wheel directory lacks into a staging directory, builds wheels from any
 * source distributions (so installing needs no index and no build tools), and moves them in.
 */
async function download({ paths, requirements, env, log, elapsed, logStream, fail }) {
  for (const name of readdirSync(paths.wheels)) if (name.startsWith('.incoming-')) rmSync(join(paths.wheels, name), { recursive: true, force: true });
  const missing = missingWheels(requirements, paths.wheels);
  if (missing.length === 0) {
    log(`all ${requirements.length} wheels are in ${paths.wheels}; downloading nothing`);
    return { files: 0, bytes: 0 };
  }
  log(`downloading ${missing.length} of ${requirements.length} packages into ${paths.wheels} (${requirements.length - missing.length} already there)`);
  const staging = join(paths.wheels, `.incoming-${process.pid}`);
  mkdirSync(staging);
  try {
    const wanted = join(staging, 'requirements.txt');
    writeFileSync(wanted, `${missing.map((r) => r.line).join('\n')}\n`);
    let n = 0;
    const pip = await runLogged([paths.python, '-m', 'pip', 'download', '--no-deps', '--no-cache-dir', '--progress-bar', 'off', '-d', staging, '-r', wanted], {
      env,
      logStream,
      onLine: (line) => {
        const collecting = /^Collecting (\S+)/.exec(line);
        if (collecting) n += 1;
        const size = /^\s+Downloading (\S+) \(([^)]+)\)/.exec(line);
        if (size) log(`  downloading ${n} of ${missing.length}: ${size[1]} (${size[2]}) (${elapsed()})`);
      },
    });
    // Whatever finished downloading is kept, even when pip failed on a later package.
    const sdists = readdirSync(staging).filter((f) => SDIST.test(f));
    if (pip.code === 0 && sdists.length > 0) {
      log(`building wheels from ${sdists.length} source distributions: ${sdists.join(', ')}`);
      const built = join(staging, 'built');
      const wheel = await runLogged([paths.python, '-m', 'pip', 'wheel', '--no-deps', '--no-cache-dir', '--progress-bar', 'off', '-w', built, ...sdists.map((f) => join(staging, f))], { env, logStream });
      if (wheel.code !== 0) throw fail('building wheels from source distributions', `pip wheel exited ${wheel.code}`, wheel.tail);
      for (const f of readdirSync(built)) renameSync(join(built, f), join(staging, f));
    }
    let files = 0;
    let bytes = 0;
    for (const f of readdirSync(staging).filter((f) => f.endsWith('.whl'))) {
      bytes += lstatSync(join(staging, f)).size;
      files += 1;
      renameSync(join(staging, f), join(paths.wheels, f));
    }
    if (pip.code !== 0) throw fail('downloading', `pip download exited ${pip.code} (the ${files} wheels it finished are kept)`, pip.tail);
    const still = missingWheels(requirements, paths.wheels);
    if (still.length > 0) throw fail('downloading', `no wheel for ${still.map((r) => r.line).join(', ')} after downloading`, pip.tail);
    log(`downloaded ${files} files, ${formatBytes(bytes)} (${elapsed()})`);
    return { files, bytes };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
