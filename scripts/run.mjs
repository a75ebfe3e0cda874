// Small helpers shared by the root scripts: run a command with inherited stdio, no shell.
import { spawn } from 'node:child_process';

export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: options.capture ? ['inherit', 'pipe', 'inherit'] : 'inherit', shell: false, env: options.env ?? process.env });
    let out = '';
    if (options.capture) {
      child.stdout.on('data', (chunk) => {
        out += chunk;
        if (options.echo) process.stdout.write(chunk);
      });
    }
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), out }));
  });
}

export const turbo = new URL('../node_modules/.bin/turbo', import.meta.url).pathname;

/**
 * For the root scripts that run a program of @ballast/integration-tests: builds it and what it needs,
 * installs the Temporal CLI on first use, and answers the configuration and the CLI's path. Exits
 * with the failing step's code.
 */
export async function prepareIntegrationProgram() {
  const build = await run(turbo, ['run', 'build', '--filter=@ballast/integration-tests...', '--output-logs=errors-only']);
  if (build.code !== 0) process.exit(build.code);
  // Imported only now: a fresh clone has no dist/ until the build above.
  const { loadConfig } = await import('@ballast/config');
  const config = loadConfig();
  const cli = await run(process.execPath, ['infra/temporal/dist/bin/ensure-cli.js', config.toolsDir, config.temporal.cliPath ?? ''], { capture: true });
  if (cli.code !== 0) process.exit(cli.code);
  return { config, temporalCli: cli.out.trim() };
}
