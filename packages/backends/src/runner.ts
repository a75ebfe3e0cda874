/**
 * The local backend's launcher, started detached as the leader of a new session and process group:
 *   node runner.js <stateDir> <backendJobId> <launchId>
 * It claims its launch, records itself, runs the job's argv without a shell, and records how the job
 * ended. Because the outcome lands in a file, whoever asks later needs not be this process's parent.
 */
import { spawn } from 'node:child_process';
import { createJsonExclusive, writeJsonAtomic } from './json-files.js';
import { LocalLayout } from './local/layout.js';
import { readProcStat } from './local/proc.js';
import { readCancel, readLaunchSpec } from './local/records.js';
import type { ExitRecord, LaunchDecision, RunnerRecord } from './local/records.js';

/** Exit status when a submitter took this launch over first; nothing was run. */
const EXIT_ABANDONED = 75;

async function main(): Promise<number> {
  const [stateDir, jobId, launchId] = process.argv.slice(2);
  if (!stateDir || !jobId || !launchId) {
    process.stderr.write('usage: runner.js <stateDir> <backendJobId> <launchId>\n');
    return 64;
  }
  // Cancel signals the whole group, so the command gets them directly. The runner outlives them to
  // write exit.json once the command has gone; SIGKILL still ends it.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);

  const layout = new LocalLayout(stateDir);
  const decision: LaunchDecision = { decision: 'started', by: process.pid, at: new Date().toISOString() };
  if (!(await createJsonExclusive(layout.launchDecision(jobId, launchId), decision))) return EXIT_ABANDONED;

  const self = await readProcStat(process.pid);
  if (!self) throw new Error('cannot read /proc/self/stat');
  const runner: RunnerRecord = { launchId, pid: process.pid, startTime: self.startTime, startedAt: new Date().toISOString() };
  await writeJsonAtomic(layout.runnerRecord(jobId), runner);

  const writeExit = (record: Omit<ExitRecord, 'endedAt'>) =>
    writeJsonAtomic(layout.exitRecord(jobId), { ...record, endedAt: new Date().toISOString() } satisfies ExitRecord);

  // A cancel that arrived before runner.json existed had no pid to signal; honour it here.
  if (await readCancel(layout.cancelMarker(jobId))) {
    await writeExit({ exitCode: null, signal: null, error: 'cancelled before the command started' });
    return 0;
  }
  const spec = await readLaunchSpec(layout.launchSpec(jobId, launchId));
  if (!spec) throw new Error(`launch spec ${launchId} is missing`);
  const [program, ...args] = spec.command;
  if (program === undefined) throw new Error('empty argv');

  return new Promise<number>((resolve) => {
    let settled = false;
    const settle = (record: Omit<ExitRecord, 'endedAt'>, status: number) => {
      if (settled) return;
      settled = true;
      writeExit(record).then(
        () => resolve(status),
        (error: unknown) => {
          process.stderr.write(`ballast runner: could not write exit record: ${String(error)}\n`);
          resolve(70);
        },
      );
    };
    const child = spawn(program, args, { cwd: spec.cwd, env: spec.env, stdio: 'inherit', shell: false });
    child.on('error', (error) => {
      process.stderr.write(`ballast runner: could not start ${JSON.stringify(program)}: ${error.message}\n`);
      settle({ exitCode: null, signal: null, error: error.message }, 127);
    });
    child.on('exit', (code, signal) => settle({ exitCode: code, signal }, code ?? 128));
  });
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    process.stderr.write(`ballast runner: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(70);
  },
);
