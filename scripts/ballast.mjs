// `npm run ballast -- ARGS`: builds what changed (turbo's cache makes this a second when nothing did),
// then runs the `ballast` CLI with ARGS. Signals reach the CLI (Ctrl-C stops `ballast up` cleanly) and
// its exit code is this script's, so the README's commands work right after `npm ci`.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { run, turbo } from './run.mjs';

const build = await run(turbo, ['run', 'build', '--output-logs=errors-only', '--log-prefix=none'], { capture: true });
if (build.code !== 0) {
  process.stderr.write(`${build.out}\nballast: the build failed (above); nothing was run\n`);
  process.exit(build.code);
}

const cli = spawn(process.execPath, [new URL('../apps/cli/dist/main.js', import.meta.url).pathname, ...process.argv.slice(2)], {
  stdio: 'inherit',
  shell: false,
});
// A terminal's Ctrl-C already reaches the whole process group; these cover `kill PID` of this script.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (cli.exitCode === null && cli.signalCode === null) cli.kill(signal);
  });
}
cli.on('error', (error) => {
  process.stderr.write(`ballast: cannot start the CLI: ${error.message}\n`);
  process.exit(1);
});
cli.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
});
