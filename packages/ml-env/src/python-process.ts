import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Python scripts this package ships (python/ beside src/ and dist/). */
export const PYTHON_SCRIPTS = {
  probe: fileURLToPath(new URL('../python/probe_env.py', import.meta.url)),
  tinyModel: fileURLToPath(new URL('../python/tiny_model.py', import.meta.url)),
} as const;

const STDERR_TAIL_CHARS = 4000;
const STDOUT_LIMIT_CHARS = 1_000_000;

export type PythonRun =
  | { readonly kind: 'exited'; readonly code: number; readonly stdout: string; readonly stderrTail: string }
  | { readonly kind: 'killed'; readonly signal: string; readonly timedOut: boolean; readonly stderrTail: string }
  /** The program could not be started (ENOENT, EACCES, …). */
  | { readonly kind: 'not-started'; readonly errorCode: string; readonly message: string };

/**
 * Runs `python argv…` (no shell) with the Hugging Face libraries offline and every cache they write
 * inside a temporary directory of its own, removed afterwards; ends it (SIGKILL) after `timeoutMs`.
 */
export async function runPython(python: string, argv: readonly string[], options: { readonly timeoutMs: number; readonly threads?: number }): Promise<PythonRun> {
  const scratch = await mkdtemp(join(tmpdir(), 'ballast-ml-env-'));
  try {
    return await new Promise<PythonRun>((resolve) => {
      const child = spawn(python, argv, { env: isolatedEnv(scratch, options.threads ?? 1), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, options.timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => {
        if (stdout.length < STDOUT_LIMIT_CHARS) stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL_CHARS);
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve({ kind: 'not-started', errorCode: error.code ?? 'UNKNOWN', message: error.message });
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const stderrTail = stderr.trim();
        if (signal !== null || code === null) resolve({ kind: 'killed', signal: signal ?? 'unknown', timedOut, stderrTail });
        else resolve({ kind: 'exited', code, stdout, stderrTail });
      });
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

// Offline, few threads, and caches (Hugging Face, XDG, matplotlib, triton) inside `scratch`, never in ~.
function isolatedEnv(scratch: string, threads: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HF_HUB_OFFLINE: '1',
    HF_DATASETS_OFFLINE: '1',
    TRANSFORMERS_OFFLINE: '1',
    HF_HUB_DISABLE_PROGRESS_BARS: '1',
    HF_HUB_DISABLE_TELEMETRY: '1',
    TOKENIZERS_PARALLELISM: 'false',
    HF_HOME: join(scratch, 'hf'),
    XDG_CACHE_HOME: join(scratch, 'cache'),
    XDG_DATA_HOME: join(scratch, 'data'),
    MPLCONFIGDIR: join(scratch, 'matplotlib'),
    TRITON_CACHE_DIR: join(scratch, 'triton'),
    PYTHONDONTWRITEBYTECODE: '1',
    OMP_NUM_THREADS: String(threads),
    MKL_NUM_THREADS: String(threads),
  };
}

/** The last lines of a process's stderr, for an error message. */
export function tailLines(text: string, lines = 12): string {
  return text.split('\n').slice(-lines).join('\n');
}
