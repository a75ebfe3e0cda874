import { execFile } from 'node:child_process';
import { BackendUnreachableError } from '../errors.js';

/** What one Slurm CLI invocation produced. `code` is null when the program could not run or was killed. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one Slurm command from its argv, never through a shell. Swappable so that a deployment can reach
 * a login node (e.g. over SSH) without the backend knowing.
 */
export type CommandRunner = (argv: readonly string[], env: Record<string, string>) => Promise<CommandResult>;

/** Slurm's own clients retry an absent controller for about MessageTimeout; this bounds anything worse. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;

export function execFileRunner(timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS): CommandRunner {
  return (argv, env) =>
    new Promise((resolve) => {
      const [program, ...args] = argv;
      if (program === undefined) {
        resolve({ code: null, stdout: '', stderr: 'empty argv' });
        return;
      }
      execFile(
        program,
        args,
        { env, shell: false, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (!error) return resolve({ code: 0, stdout, stderr });
          const code = typeof error.code === 'number' && !error.killed ? error.code : null;
          const why = code === null ? `${error.killed ? `killed after ${timeoutMs} ms` : error.message}\n` : '';
          resolve({ code, stdout, stderr: `${why}${stderr}` });
        },
      );
    });
}

/** A BackendUnreachableError for a Slurm command that got no answer from the cluster. */
export function unreachable(command: string, detail: string): BackendUnreachableError {
  return new BackendUnreachableError(`slurm (${command})`, detail);
}

/** The one answer from Slurm that means "this job id is not known to the controller". */
export function isUnknownJob(result: CommandResult): boolean {
  return result.code !== null && result.code !== 0 && /Invalid job id specified/i.test(result.stderr);
}

/** sbatch errors that say the controller was not reached, as opposed to a rejected job. */
const UNREACHABLE_PATTERN =
  /Unable to contact slurm controller|Socket timed out|Connection refused|Connection reset|Zero Bytes were transmitted|Communication connection failure|munge|authentication|Transport endpoint|temporarily unavailable/i;

export function looksUnreachable(result: CommandResult): boolean {
  return result.code === null || UNREACHABLE_PATTERN.test(result.stderr);
}

export function describe(result: CommandResult): string {
  const text = result.stderr.trim() || result.stdout.trim();
  return `${result.code === null ? 'did not complete' : `exit ${result.code}`}${text ? `: ${text.split('\n').slice(-5).join(' | ')}` : ''}`;
}
