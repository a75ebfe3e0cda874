import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Test-only: pyarrow in a project-local venv (`.tools/test-venv`, git-ignored), the independent
 * reader that checks the parquet this package writes. Created on first use; a failure to create it
 * fails the calling test with the reason, it never skips.
 */
export const PYARROW_VERSION = '26.0.1';

const run = promisify(execFile);

function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package-lock.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('test venv: no package-lock.json above this file, cannot find the repository root');
    dir = up;
  }
  return dir;
}

let ready: Promise<string> | undefined;

/** The venv's python, with pyarrow importable. */
export function testVenvPython(): Promise<string> {
  ready ??= prepare();
  return ready;
}

async function prepare(): Promise<string> {
  const venv = join(repositoryRoot(), '.tools', 'test-venv');
  const python = join(venv, 'bin', 'python');
  if (existsSync(python) && (await run(python, ['-c', 'import pyarrow']).then(() => true, () => false))) return python;
  console.log(`creating the test venv ${venv} with pyarrow==${PYARROW_VERSION} (first use only)`);
  try {
    if (!existsSync(python)) await run('python3', ['-m', 'venv', venv]);
    await run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `pyarrow==${PYARROW_VERSION}`], {
      maxBuffer: 16 << 20,
    });
    await run(python, ['-c', 'import pyarrow']);
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n').slice(0, 4).join(' ') : String(err);
    throw new Error(`cannot make the pyarrow test venv at ${venv} (python3 -m venv, then pip install pyarrow==${PYARROW_VERSION}): ${detail}`);
  }
  return python;
}

export interface PyarrowTable {
  /** Arrow field name -> Arrow type as pyarrow prints it, e.g. `list<element: struct<role: string, content: string>>`. */
  readonly fields: Record<string, string>;
  readonly numRows: number;
  readonly rows: Record<string, unknown>[];
}

const READ_SCRIPT = `
import json, sys
import pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
json.dump({"fields": {f.name: str(f.type) for f in t.schema}, "numRows": t.num_rows, "rows": t.to_pylist()}, sys.stdout)
`;

/** Reads a parquet file with pyarrow and returns its schema and rows as plain JSON values. */
export async function readParquetWithPyarrow(path: string): Promise<PyarrowTable> {
  const python = await testVenvPython();
  const { stdout } = await run(python, ['-c', READ_SCRIPT, path], { maxBuffer: 512 << 20 });
  return JSON.parse(stdout) as PyarrowTable;
}
