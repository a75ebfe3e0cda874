// `npm run test:load`: builds what the load test needs, makes sure the Temporal CLI is installed (first
// use only), then runs packages/integration-tests/src/load/main.ts: 50 small experiments at once on the
// embedded stack while 4 clients send maximum-size bodies to the API for 60 s. Extra arguments go to the
// load test (e.g. `npm run test:load -- --experiments 10 --body-seconds 20`).
import { prepareIntegrationProgram, run } from './run.mjs';

const { temporalCli } = await prepareIntegrationProgram();

const load = await run(process.execPath, ['packages/integration-tests/dist/load/main.js', ...process.argv.slice(2)], {
  env: { ...process.env, TEMPORAL_CLI: temporalCli },
});
process.exit(load.code);
