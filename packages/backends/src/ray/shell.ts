import { shellQuote } from '../shell-quote.js';

export interface EntrypointParts {
  command: readonly string[];
  /** Directory to `cd` into first; omitted when Ray sets the working directory (runtime_env.working_dir). */
  cwd?: string;
  /** Directories to create before the command starts (the job's output directory). */
  mkdirs?: readonly string[];
}

/**
 * One shell line that creates the output directory, changes into the job's cwd and `exec`s the argv, so
 * the program replaces the shell and receives Ray's stop signal itself.
 */
export function entrypointLine(parts: EntrypointParts): string {
  const steps: string[] = [];
  for (const dir of parts.mkdirs ?? []) steps.push(`mkdir -p -- ${shellQuote(dir)}`);
  if (parts.cwd !== undefined) steps.push(`cd -- ${shellQuote(parts.cwd)}`);
  steps.push(`exec ${parts.command.map(shellQuote).join(' ')}`);
  return steps.join(' && ');
}
