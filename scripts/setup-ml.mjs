// `npm run setup:ml`: builds the project-local ML venv (<toolsDir>/ml-venv) from the pinned lock
// packages/ml-env/requirements/ml.lock, once per machine; later runs check and do nothing. The work is
// in packages/ml-env/scripts/setup-ml.mjs (no build needed); this is its command line.
//
//   npm run setup:ml                       # <repo>/.tools, or BALLAST_TOOLS_DIR
//   npm run setup:ml -- --tools-dir DIR --python python3.11
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureMlVenv, MlSetupError } from '@ballast/ml-env/setup';
import { ensureSystemPackages } from './system-packages.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { 'tools-dir': { type: 'string' }, python: { type: 'string', default: 'python3' } } });
const given = values['tools-dir'] ?? process.env.BALLAST_TOOLS_DIR;
// Relative to the working directory, as the configuration resolves BALLAST_TOOLS_DIR.
const toolsDir = given ? (isAbsolute(given) ? given : resolve(given)) : resolve(root, '.tools');

try {
  await ensureMlVenv({
    toolsDir,
    basePython: values.python,
    // Debian's python3 lacks the venv module until python3-venv is installed (as root, apt-get installs it).
    installSystemPackages: (packages) => ensureSystemPackages(Object.fromEntries(packages.map((pkg) => [`${pkg} (python3 -m venv)`, pkg]))),
  });
} catch (error) {
  if (!(error instanceof MlSetupError)) throw error;
  process.stderr.write(`setup:ml failed while ${error.message}\n`);
  if (error.logTail) process.stderr.write(`--- the end of its output ---\n${error.logTail}\n`);
  process.exit(1);
}
