// `npm test`: builds everything, does the first-use installs (scripts/test-setup.mjs, timed apart), then
// runs lint beside the tests: every package's tests, several packages at once and several files per
// package at once, against one Temporal dev server and one PostgreSQL shared by the integration tests
// (scripts/test/shared-stack.mjs) and a Slurm cluster, Ray head and sshd of this run's own. A global
// deadline ends whatever still runs and names those files. Closes with the slowest files and the line
// CI parses: 'N passed, N failed, N skipped'.
//
//   npm test                          # everything
//   npm test -- @ballast/mixing ...   # only these packages (build and lint still cover everything)
//
// Environment: BALLAST_TEST_DEADLINE_S (test phase, default 1500), BALLAST_TEST_SLOTS (packages at once,
// default 3), BALLAST_TEST_KEEP_HOME (keep the run directory).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, turbo } from './run.mjs';
import { startClusters } from './test/clusters.mjs';
import { readResults, slowestFiles } from './test/results.mjs';
import { runPackages } from './test/scheduler.mjs';
import { startSharedStack } from './test/shared-stack.mjs';
import { workspaces } from './test/workspaces.mjs';
import { testSetup } from './test-setup.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const startedAt = Date.now();
const phases = [];
const seconds = (since) => (Date.now() - since) / 1000;
const say = (line) => process.stdout.write(`${line}\n`);
const deadlineSeconds = Number(process.env.BALLAST_TEST_DEADLINE_S ?? 1500);
const slots = Number(process.env.BALLAST_TEST_SLOTS ?? 3);

// Longest first, so the slowest package never starts last; the rest follow by name.
const FIRST = ['@ballast/integration-tests', '@ballast/backends', '@ballast/workflows', '@ballast/mixing', '@ballast/reference-workload', '@ballast/db'];

let phase = Date.now();
const build = await run(turbo, ['run', 'build', '--output-logs=errors-only']);
phases.push(['build', seconds(phase)]);
if (build.code !== 0) process.exit(build.code);

// Imported only now: a fresh clone has no dist/ until the build above.
const { loadConfig } = await import('@ballast/config');
const config = loadConfig();
const setup = await testSetup({ toolsDir: config.toolsDir, temporalCliSetting: config.temporal.cliPath });

const runDir = mkdtempSync(join(tmpdir(), 'ballast-t-'));
const eventsFile = join(runDir, 'events.jsonl');
const cleanups = [];
let scheduler = null;
let lint = null;

async function cleanUp() {
  await scheduler?.stop();
  lint?.stop();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error) => say(`cleanup: ${error.message}`));
  if (!process.env.BALLAST_TEST_KEEP_HOME) rmSync(runDir, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    say(`\n${signal}: stopping the tests, the shared stack and the clusters`);
    void cleanUp().finally(() => process.exit(130));
  });
}

/**
 * Lint (typed rules: floating promises, import cycles, deep imports) below the tests' priority, in a few
 * ESLint processes one after another: one process over every package held every package's type program at
 * once and ran out of V8 heap (4 GiB) on CI.
 */
function startLint(batches = 4) {
  const dirs = workspaces(root)
    .filter((pkg) => pkg.scripts.lint)
    .map((pkg) => join(pkg.dir, 'src'));
  const size = Math.ceil(dirs.length / batches);
  const groups = Array.from({ length: Math.ceil(dirs.length / size) }, (_, index) => dirs.slice(index * size, (index + 1) * size));
  const started = Date.now();
  let out = '';
  let child = null;
  let stopped = false;
  const runOne = (group) =>
    new Promise((resolve) => {
      child = spawn('nice', ['-n', '10', join(root, 'node_modules/.bin/eslint'), ...group], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (chunk) => (out += chunk));
      child.stderr.on('data', (chunk) => (out += chunk));
      child.on('close', (code) => resolve(code ?? 1));
    });
  const done = (async () => {
    let code = 0;
    for (const group of groups) {
      if (stopped) return { code: 1, out, seconds: seconds(started) };
      const one = await runOne(group);
      if (one !== 0) code = one;
    }
    return { code, out, seconds: seconds(started) };
  })();
  return {
    stop: () => {
      stopped = true;
      child?.kill('SIGTERM');
    },
    done,
  };
}

let exitCode = 1;
try {
  lint = startLint();

  phase = Date.now();
  // Two sets of clusters (short directory names: Ray's unix sockets live below them), the backend tests'
  // and the integration tests': files of one package share a set, the two packages do not, since
  // lifecycle.test stops its set's Slurm controller for a minute, which the backend tests' waits would not survive.
  const started = await Promise.allSettled([
    startSharedStack({ runDir, temporalCli: setup.temporalCli, log: (line) => say(`shared stack: ${line}`) }),
    startClusters({ root, runDir: join(runDir, 'b') }),
    startClusters({ root, runDir: join(runDir, 'i') }),
  ]);
  for (const one of started) if (one.status === 'fulfilled') cleanups.push(one.value.stop);
  const failure = started.find((one) => one.status === 'rejected');
  if (failure) throw failure.reason;
  const [stack, backendClusters, integrationClusters] = started;
  phases.push(['shared stack and clusters', seconds(phase)]);
  say(`shared stack: ${stack.value.describe}`);

  const reporter = join(root, 'scripts/test/reporter.mjs');
  const env = {
    ...process.env,
    ...stack.value.env,
    TEMPORAL_CLI: setup.temporalCli,
    BALLAST_TEST_EVENTS: eventsFile,
    // A readable reporter on stdout, and the one that records per-file durations and results.
    NODE_OPTIONS: [process.env.NODE_OPTIONS, '--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${reporter}`, '--test-reporter-destination=/dev/null']
      .filter(Boolean)
      .join(' '),
  };
  const only = process.argv.slice(2);
  const rank = (name) => (FIRST.includes(name) ? FIRST.indexOf(name) : FIRST.length);
  const packages = workspaces(root)
    .filter((pkg) => pkg.scripts.test && (only.length === 0 || only.includes(pkg.name)))
    .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));

  phase = Date.now();
  const clusterEnv = (pkg) => (pkg.name === '@ballast/backends' ? backendClusters : integrationClusters).value.env;
  scheduler = runPackages({ packages, slots, env: (pkg) => ({ ...env, ...clusterEnv(pkg) }), root });
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    const running = readResults(eventsFile, root).running;
    say(`\nthe test phase passed its deadline of ${deadlineSeconds} s (BALLAST_TEST_DEADLINE_S); still running:`);
    for (const file of running) say(`  ${file.file} (${Math.round(file.seconds)} s)`);
    if (running.length === 0) say(`  packages ${scheduler.running().join(', ')}`);
    void scheduler.stop();
  }, deadlineSeconds * 1000);
  const packageResults = await scheduler.done;
  clearTimeout(deadline);
  phases.push(['tests', seconds(phase)]);

  phase = Date.now();
  const linted = await lint.done;
  if (seconds(phase) > 1) phases.push(['lint after the tests', seconds(phase)]);
  phases.push([`lint (beside the tests)`, linted.seconds]);

  const results = readResults(eventsFile, root);
  say('\nlint:');
  say(linted.out.trim() || '(clean)');
  if (linted.code !== 0) say(`lint failed (exit ${linted.code})`);
  const broken = packageResults.filter((p) => p.code !== 0);
  for (const p of broken) say(`${p.name}: tests exited ${p.signal ?? p.code}`);
  if (results.failures.length > 0) {
    say('\nfailed:');
    for (const failure of results.failures) say(`  ${failure}`);
  }
  say('\nslowest test files:');
  for (const line of slowestFiles(results.files)) say(line);
  say('\ntimes:');
  for (const [name, s] of phases) say(`${s.toFixed(0).padStart(6)} s  ${name}`);
  say(`${(seconds(startedAt) - setup.seconds).toFixed(0).padStart(6)} s  in all, first-use installs excluded`);
  say(`first-use installs: ${Math.round(setup.seconds)} s`);
  const failed = results.failed + (timedOut ? Math.max(1, results.running.length) : 0);
  say(`\n${results.passed} passed, ${failed} failed, ${results.skipped} skipped`);
  exitCode = linted.code !== 0 || broken.length > 0 || failed > 0 || results.passed === 0 ? 1 : 0;
} catch (error) {
  say(`npm test: ${error.message}`);
} finally {
  await cleanUp();
}
process.exit(exitCode);
