// `npm run bench:report`: the report's paired percentile bootstrap in Ballast against numpy, one thread
// each (53 benchmarks × 10 arms × 1,000 items, 477 comparisons of 10,000 resamples, 3 interleaved
// rounds); ends with a JSON line { ratio_vs_numpy, max_ci_difference } from the medians
// (packages/reporting/src/bench/report-bootstrap.ts). Builds @ballast/reporting and what it needs first,
// and installs the ML environment (where numpy runs) on first use. BALLAST_BENCH_BENCHMARKS, _ARMS,
// _ITEMS, _RESAMPLES and _ROUNDS change the sizes.
import { run, turbo } from './run.mjs';

const build = await run(turbo, ['run', 'build', '--filter=@ballast/reporting...', '--output-logs=errors-only']);
if (build.code !== 0) process.exit(build.code);
// Imported only now: a fresh clone has no dist/ until the build above.
const { loadConfig } = await import('@ballast/config');
const { ensureMlVenv } = await import('../packages/ml-env/scripts/setup-ml.mjs');
await ensureMlVenv({ toolsDir: loadConfig().toolsDir });

const bench = await run(process.execPath, ['packages/reporting/dist/bench/report-bootstrap.js']);
process.exit(bench.code);
