import { spawn } from 'node:child_process';
import { LineSplitter, LineTail } from './lines.js';
import { liveGroupMembers, readProcStat, signalGroup, waitUntilGone } from './proc.js';

/** How the framework's leader process ended. */
export type FrameworkExit =
  | { readonly kind: 'exited'; readonly code: number | null; readonly signal: NodeJS.Signals | null }
  /** It could not be started at all (ENOENT, EACCES, …). */
  | { readonly kind: 'not-started'; readonly errorCode: string; readonly message: string };

export interface StartFrameworkInput {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Each complete line the framework writes to stdout (already forwarded unchanged). */
  readonly onStdoutLine: (line: string) => void;
  readonly stderrTailLines?: number;
}

/** A started framework: its own process group, its output forwarded to the runner's. */
export interface FrameworkProcess {
  readonly pid: number | null;
  /** The leader's /proc start time (null where /proc is not readable). */
  readonly startTime: string | null;
  /** Resolves once the leader has exited and its output has been read to the end. */
  readonly exit: Promise<FrameworkExit>;
  /** The last lines it wrote to stderr. */
  stderrTail(): string[];
  /** SIGTERM to the group, up to `graceMs` for it to go, then SIGKILL; resolves with the pids still alive (normally none). */
  stopGroup(graceMs: number, log: (line: string) => void): Promise<number[]>;
  /** Live members of its group. */
  liveMembers(): Promise<number[]>;
}

/** After the leader exits, how long its output may stay open (a child holding the pipes) before the runner moves on. */
const DRAIN_AFTER_EXIT_MS = 5_000;
const KILL_WAIT_MS = 10_000;

/**
 * Starts the framework detached, as the leader of a process group of its own, so that the runner can
 * stop all of it (launchers such as accelerate start workers) and a later attempt can find and stop
 * what a killed runner left behind. stdout and stderr are forwarded to the runner's own, unchanged.
 */
export async function startFramework(input: StartFrameworkInput): Promise<FrameworkProcess> {
  const [program, ...args] = input.argv;
  if (program === undefined) throw new Error('the launch argv is empty');
  const tail = new LineTail(input.stderrTailLines ?? 20);
  const stdoutLines = new LineSplitter(input.onStdoutLine);
  const child = spawn(program, args, { cwd: input.cwd, env: input.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });

  const exit = new Promise<FrameworkExit>((resolve) => {
    let exited: FrameworkExit | null = null;
    let done = false;
    const finish = (result: FrameworkExit) => {
      if (done) return;
      done = true;
      stdoutLines.end();
      resolve(result);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      stdoutLines.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      tail.push(chunk);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (child.pid === undefined) finish({ kind: 'not-started', errorCode: err.code ?? 'UNKNOWN', message: err.message });
    });
    child.on('exit', (code, signal) => {
      exited = { kind: 'exited', code, signal };
      // A worker that outlives the leader may hold the pipes open: stop waiting for their end after a while.
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(exited!);
      }, DRAIN_AFTER_EXIT_MS).unref();
    });
    child.on('close', (code, signal) => finish(exited ?? { kind: 'exited', code, signal }));
  });

  const pid = child.pid ?? null;
  const startTime = pid === null ? null : ((await readProcStat(pid))?.startTime ?? null);
  const liveMembers = async () => (pid === null ? [] : liveGroupMembers(pid));
  return {
    pid,
    startTime,
    exit,
    stderrTail: () => tail.lines(),
    liveMembers,
    async stopGroup(graceMs, log) {
      if (pid === null || (await liveMembers()).length === 0) return [];
      log(`stopping the framework (process group ${pid}): SIGTERM`);
      signalGroup(pid, 'SIGTERM');
      let left = await waitUntilGone(liveMembers, graceMs);
      if (left.length > 0) {
        log(`framework pids ${left.join(', ')} still running after ${Number((graceMs / 1000).toFixed(1))} s: SIGKILL`);
        signalGroup(pid, 'SIGKILL');
        left = await waitUntilGone(liveMembers, KILL_WAIT_MS);
      }
      return left;
    },
  };
}
