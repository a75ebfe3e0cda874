/**
 * What a Ballast Slurm job runs on its node, started by the generated batch script:
 *   node runner.js <launch spec json>
 * It runs the spec's argv without a shell, in the spec's cwd, with the spec's env plus the SLURM_*
 * variables of this allocation, and exits with the program's status, so Slurm's ExitCode is the program's.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';

interface LaunchSpec {
  command: string[];
  env: Record<string, string>;
  cwd: string;
}

/** Signals only the batch shell receives (`scancel --batch`, `--signal=B:…`); cancel signals the whole tree itself. */
const FORWARDED = ['SIGUSR1', 'SIGUSR2'] as const;

async function main(): Promise<number> {
  const specPath = process.argv[2];
  if (!specPath) {
    process.stderr.write('usage: runner.js <launch spec json>\n');
    return 64;
  }
  const spec = JSON.parse(await readFile(specPath, 'utf8')) as LaunchSpec;
  const [program, ...args] = spec.command;
  if (program === undefined) throw new Error('empty argv');
  const slurmEnv = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => /^SLURMD?_/.test(entry[0]) && entry[1] !== undefined),
  );
  // Slurm's cancel signals every process of the job; the runner outlives the program to pass on its status.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);

  return new Promise<number>((resolve) => {
    const child = spawn(program, args, { cwd: spec.cwd, env: { ...slurmEnv, ...spec.env }, stdio: 'inherit', shell: false });
    for (const signal of FORWARDED) process.on(signal, () => child.kill(signal));
    child.on('error', (error) => {
      process.stderr.write(`ballast runner: could not start ${JSON.stringify(program)}: ${error.message}\n`);
      resolve(127);
    });
    child.on('exit', (code, signal) => {
      if (signal) process.stderr.write(`ballast runner: the program was killed by ${signal}\n`);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    process.stderr.write(`ballast runner: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(70);
  },
);
