import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';

/** A harness command: argv (never a shell line) run in `cwd`. */
export interface HarnessCommand {
  readonly argv: readonly [string, ...string[]];
  readonly cwd: string;
}

export type HarnessExit = { readonly kind: 'exited'; readonly code: number } | { readonly kind: 'signalled'; readonly signal: string };

export interface HarnessProcessResult {
  readonly exit: HarnessExit;
  /** The last lines the harness printed (both streams), for the failure message. */
  readonly tail: readonly string[];
}

const TAIL_LINES = 60;

/** Variables passed through from the job's own environment when set: locale, temp dir, accelerators, threads. */
const PASS_THROUGH = [
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
  'LD_LIBRARY_PATH',
  'CUDA_VISIBLE_DEVICES',
  'NVIDIA_VISIBLE_DEVICES',
  'HIP_VISIBLE_DEVICES',
  'ROCR_VISIBLE_DEVICES',
  'MKL_NUM_THREADS',
] as const;

/**
 * The minimal environment a harness runs with: offline, every cache and HOME inside `cacheDir` (so
 * nothing is written to the user's home), few threads, no progress bars, and nothing else of the job's
 * environment (no credentials it does not need). The interpreter's directory leads PATH, as an activated
 * venv would have it.
 */
export function harnessEnv(base: NodeJS.ProcessEnv, python: string, cacheDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASS_THROUGH) {
    const value = base[name];
    if (value !== undefined && value !== '') env[name] = value;
  }
  return {
    LANG: 'C.UTF-8',
    ...env,
    PATH: [dirname(python), base['PATH'] ?? '/usr/local/bin:/usr/bin:/bin'].join(':'),
    HOME: join(cacheDir, 'home'),
    OMP_NUM_THREADS: nonEmpty(base['OMP_NUM_THREADS']) ?? '1',
    HF_HUB_OFFLINE: '1',
    HF_DATASETS_OFFLINE: '1',
    TRANSFORMERS_OFFLINE: '1',
    HF_HUB_DISABLE_TELEMETRY: '1',
    HF_HOME: join(cacheDir, 'hf'),
    XDG_CACHE_HOME: join(cacheDir, 'xdg-cache'),
    XDG_DATA_HOME: join(cacheDir, 'xdg-data'),
    XDG_CONFIG_HOME: join(cacheDir, 'xdg-config'),
    XDG_STATE_HOME: join(cacheDir, 'xdg-state'),
    INSPECT_CACHE_DIR: join(cacheDir, 'inspect-cache'),
    MPLCONFIGDIR: join(cacheDir, 'matplotlib'),
    TRITON_CACHE_DIR: join(cacheDir, 'triton'),
    // tqdm redraws with carriage returns, which turn into noise in a line-based job log.
    TQDM_DISABLE: '1',
    HF_HUB_DISABLE_PROGRESS_BARS: '1',
    TOKENIZERS_PARALLELISM: 'false',
    PYTHONUNBUFFERED: '1',
    // Importing a task file must not leave __pycache__ beside it (task directories are hashed for caching).
    PYTHONDONTWRITEBYTECODE: '1',
    NO_COLOR: '1',
  };
}

/**
 * Runs a harness command, writing each line it prints to `write` with `prefix` before it. A SIGTERM or
 * SIGINT to this process is passed on to the harness, so cancelling the job stops it.
 */
export async function runHarnessProcess(
  command: HarnessCommand,
  options: { readonly env: Record<string, string>; readonly prefix: string; readonly write: (line: string) => void },
): Promise<HarnessProcessResult> {
  const [program, ...args] = command.argv;
  const tail: string[] = [];
  const emit = (raw: string): void => {
    // A progress bar that still slips through redraws with '\r': keep what was drawn last.
    const line = raw.slice(raw.lastIndexOf('\r') + 1).trimEnd();
    if (line === '') return;
    options.write(`${options.prefix} ${line}`);
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  return await new Promise<HarnessProcessResult>((resolve, reject) => {
    const child = spawn(program, args, { cwd: command.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    process.on('SIGTERM', forward);
    process.on('SIGINT', forward);
    const stop = (): void => {
      process.off('SIGTERM', forward);
      process.off('SIGINT', forward);
    };
    const flushers = [child.stdout, child.stderr].map((stream) => {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (pending + chunk).split('\n');
        pending = lines.pop() ?? '';
        lines.forEach(emit);
      });
      return () => {
        emit(pending);
        pending = '';
      };
    });
    child.on('error', (err) => {
      stop();
      reject(err);
    });
    child.on('close', (code, signal) => {
      stop();
      flushers.forEach((flush) => flush());
      resolve({ exit: code === null ? { kind: 'signalled', signal: signal ?? 'unknown' } : { kind: 'exited', code }, tail });
    });
  });
}

/**
 * What a failed harness said, from the last lines it printed: the last Python exception line
 * (`SomeError: …`) when there is one, else the last few lines.
 */
export function failureMessage(tail: readonly string[]): string {
  const exception = [...tail].reverse().find((l) => /^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit)(: |$)/.test(l.trim()));
  const text = exception?.trim() ?? tail.slice(-5).map((l) => l.trim()).join(' | ');
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
