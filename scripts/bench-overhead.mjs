// `npm run bench:overhead`: one TRL training of at least a minute, run by hand with the exact command
// Ballast renders and through Ballast on the local backend, 3 interleaved runs each; ends with a JSON
// line { ratio_vs_direct, overhead_s } from the medians (packages/integration-tests/src/bench/overhead.ts).
// Builds first, and installs on first use what it needs: the Temporal CLI and the ML environment.
// BALLAST_BENCH_STEPS changes the number of TRL steps (default 1200).
import { prepareIntegrationProgram, run } from './run.mjs';

const { config, temporalCli } = await prepareIntegrationProgram();
const { ensureMlVenv } = await import('../packages/ml-env/scripts/setup-ml.mjs');
await ensureMlVenv({ toolsDir: config.toolsDir });

const bench = await run(process.execPath, ['packages/integration-tests/dist/bench/overhead.js', ...process.argv.slice(2)], {
  env: { ...process.env, TEMPORAL_CLI: temporalCli },
});
process.exit(bench.code);
