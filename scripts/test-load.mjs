// `npm run test:load`: builds what the load test needs, makes sure the Temporal CLI is installed (first
// use only), then runs packages/integration-tests/src/load/main.ts: 50 small experiments at once on the
// embedded stack while 4 clients send maximum-size bodies to the API for 60 s. Extra arguments go to the
// load test (e.g. `npm run test:load -- --experiments 10 --body-seconds 20`).
import { run, turbo } from './run.mjs';

const build = await run(turbo, ['run', 'build', '--filter=@ballast/integration-tests...', '--output-logs=errors-only']);
if (build.code !== 0) process.exit(build.code);

// Imported only now: a fresh clone has no dist/ until the build above.
const { loadConfig } = await import('@ballast/config');
const config = loadConfig();
const cli = await run(process.execPath, ['infra/temporal/dist/bin/ensure-cli.js', config.toolsDir, config.temporal.cliPath ?? ''], { capture: true });
if (cli.code !== 0) process.exit(cli.code);

const load = await run(process.execPath, ['packages/integration-tests/dist/load/main.js', ...process.argv.slice(2)], {
  env: { ...process.env, TEMPORAL_CLI: cli.out.trim() },
});
process.exit(load.code);
