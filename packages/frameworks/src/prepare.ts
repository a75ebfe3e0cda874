import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { writeFileAtomic } from '@ballast/job-contract';
import type { RenderedLaunch } from './render/launch.js';

/**
 * The argv, env and working directory of a launch, shaped like the matching fields of the backends'
 * SubmitRequest (`command`, `env`, `cwd`). `env` holds only what the framework needs: merge it over the
 * job's contract environment.
 */
export interface LaunchCommand {
  readonly command: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

/** Writes the launch's config files into `jobDir` (atomically each) and returns the command to run there. */
export async function prepareLaunch(launch: RenderedLaunch, jobDir: string): Promise<LaunchCommand> {
  if (!isAbsolute(jobDir)) throw new Error(`job dir must be absolute, got ${JSON.stringify(jobDir)}`);
  for (const file of launch.files) {
    const target = resolve(jobDir, file.relativePath);
    const rel = relative(jobDir, target);
    // Renderers only emit plain relative names; anything else is a bug, not user input.
    if (isAbsolute(file.relativePath) || rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new Error(`launch file ${JSON.stringify(file.relativePath)} would be written outside the job dir`);
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(target, file.contents);
  }
  return launchCommand(launch, jobDir);
}

export function launchCommand(launch: RenderedLaunch, jobDir: string): LaunchCommand {
  return { command: [...launch.argv], env: { ...launch.env }, cwd: jobDir };
}
