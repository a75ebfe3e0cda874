// `npm test`: installs the Debian packages tests use if missing, builds and lints everything, makes sure
// the Temporal CLI is installed (first use only), then runs
// every package's tests (unit, database, workflow, replay, real Slurm and Ray backends, end-to-end) one
// package at a time with a single-node Slurm cluster and a Ray head running, and
// closes with a plain 'N passed, N failed' line.
import { run, turbo } from './run.mjs';
import { ensureSystemPackages } from './system-packages.mjs';

ensureSystemPackages();

const build = await run(turbo, ['run', 'build', '--output-logs=errors-only']);
if (build.code !== 0) process.exit(build.code);

// Lint first: typed rules (floating promises), import cycles, no deep imports across packages.
const lint = await run(turbo, ['run', 'lint', '--output-logs=errors-only']);
if (lint.code !== 0) process.exit(lint.code);

// Imported only now: a fresh clone has no dist/ until the build above.
const { loadConfig } = await import('@ballast/config');
const config = loadConfig();
const cli = await run(process.execPath, ['infra/temporal/dist/bin/ensure-cli.js', config.toolsDir, config.temporal.cliPath ?? ''], { capture: true });
if (cli.code !== 0) process.exit(cli.code);
const env = { ...process.env, TEMPORAL_CLI: cli.out.trim() };

// The real single-node Slurm cluster, Ray head and loopback sshd (a login node) the backend tests use; stopped again afterwards.
const clusters = ['infra/slurm', 'infra/ray', 'infra/ssh'];
for (const dir of clusters) {
  const up = await run('bash', [`${dir}/up.sh`]);
  if (up.code !== 0) process.exit(up.code);
}
const filters = process.argv.slice(2).flatMap((f) => ['--filter', f]);
let tests;
try {
  tests = await run(turbo, ['run', 'test', '--concurrency=1', '--continue', ...filters], { capture: true, echo: true, env });
} finally {
  for (const dir of [...clusters].reverse()) await run('bash', [`${dir}/down.sh`]);
}
const sum = (label) => [...tests.out.matchAll(new RegExp(`# ${label} (\\d+)`, 'g'))].reduce((s, m) => s + Number(m[1]), 0);
const passed = sum('pass');
const failed = sum('fail') + sum('cancelled');
const skipped = sum('skipped');
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(tests.code !== 0 || failed > 0 ? 1 : passed === 0 ? 1 : 0);
