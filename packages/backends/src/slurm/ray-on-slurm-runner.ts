/**
 * What a Ballast Slurm job in Ray mode runs on its first node, started by the constant batch script:
 *   node ray-on-slurm-runner.js <launch spec json>
 * 1. lists the allocation's nodes (`scontrol show hostnames "$SLURM_JOB_NODELIST"`);
 * 2. starts `ray start --head --block` on this node and `ray start --address=… --block` on every other
 *    node, each as a one-task job step (srun, argv only), with a per-job token and temp dir;
 * 3. waits (`ray status`) until every node has joined, or fails the job with exit 69;
 * 4. runs the spec's argv here with RAY_ADDRESS set, without a shell;
 * 5. stops the cluster whatever happened (command done, failed bootstrap, SIGTERM from scancel), kills
 *    any Ray process of this job left on this node, and exits with the command's status.
 * Ray processes on other nodes that outlive their step are killed by Slurm when the job ends.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { constants as fsConstants } from 'node:fs';
import { access, readFile, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { constants } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RAY_BOOTSTRAP_FAILED_EXIT, RAY_CLUSTER_MARKER, countRayNodes, pickPort, planRayCluster } from './ray-on-slurm.js';
import type { RayClusterPlan, RayLaunchSpec } from './ray-on-slurm.js';

/** How long the Ray processes get to stop after SIGTERM before they are killed. */
const STOP_GRACE_MS = 10_000;
/** After scancel, Slurm's KillWait (30 s by default) bounds the whole teardown; keep well inside it. */
const CANCEL_GRACE_MS = 3_000;
const STATUS_POLL_MS = 1_000;
const FALLBACK_PATH = '/usr/local/bin:/usr/bin:/bin';

class BootstrapError extends Error {}

function log(message: string): void {
  process.stderr.write(`ballast ray-on-slurm: ${message}\n`);
}

function capture(program: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(program, args, { env, shell: false, timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ ok: !error, stdout, stderr: error && !stderr ? error.message : stderr }),
    );
  });
}

/** The first executable `name` in the colon-separated `path`. */
async function resolveProgram(name: string, path: string): Promise<string> {
  for (const dir of path.split(':').filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      await access(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new BootstrapError(`${name} not found under ${path}`);
}

function portFree(host: string): (port: number) => Promise<boolean> {
  return (port) =>
    new Promise((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
    });
}

/** Pids of this node's processes whose environment carries the job's marker (Ray renames its own). */
async function markedProcesses(marker: string): Promise<number[]> {
  const needle = `${RAY_CLUSTER_MARKER}=${marker}\0`;
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if ((await readFile(`/proc/${name}/environ`, 'latin1')).includes(needle)) pids.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function exited(child: ChildProcess): Promise<void> {
  return alive(child) ? new Promise((resolve) => child.once('exit', () => resolve())) : Promise.resolve();
}

class RayCluster {
  private readonly steps: { node: string; child: ChildProcess }[] = [];
  private stopping: Promise<void> | null = null;
  /** Set when a step ends before teardown: the cluster is broken. */
  lost: string | null = null;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly tempDir: string,
  ) {}

  start(node: string, argv: string[]): void {
    const [program, ...args] = argv;
    const child = spawn(program!, args, { env: this.env, stdio: ['ignore', 'inherit', 'inherit'], shell: false });
    child.on('error', (error) => {
      this.lost ??= `could not start the Ray step on ${node}: ${error.message}`;
    });
    child.on('exit', (code, signal) => {
      if (!this.stopping) this.lost ??= `the Ray step on ${node} ended (${signal ?? `exit ${code}`})`;
    });
    this.steps.push({ node, child });
  }

  /** SIGTERM to every step (srun passes it to `ray start`, which stops its node), then SIGKILL. */
  stop(graceMs: number): Promise<void> {
    this.stopping ??= (async () => {
      const running = this.steps.filter((s) => alive(s.child));
      for (const { child } of running) child.kill('SIGTERM');
      const all = Promise.all(running.map((s) => exited(s.child)));
      await Promise.race([all, sleep(graceMs)]);
      for (const { child } of running) if (alive(child)) child.kill('SIGKILL');
      // Whatever escaped its step on this node (the head's daemons, their workers) goes too.
      for (let round = 0; round < 20; round++) {
        const left = await markedProcesses(this.tempDir);
        if (left.length === 0) break;
        for (const pid of left) {
          try {
            process.kill(pid, round === 0 ? 'SIGTERM' : 'SIGKILL');
          } catch {
            // already gone
          }
        }
        await sleep(round === 0 ? Math.min(graceMs, 2_000) : 100);
      }
      await rm(this.tempDir, { recursive: true, force: true }).catch(() => undefined);
    })();
    return this.stopping;
  }
}

async function waitForNodes(plan: RayClusterPlan, cluster: RayCluster, env: NodeJS.ProcessEnv, want: number, deadline: number, cancelled: () => boolean): Promise<void> {
  let seen = 0;
  for (;;) {
    if (cancelled()) throw new BootstrapError('cancelled while the Ray cluster was starting');
    if (cluster.lost) throw new BootstrapError(cluster.lost);
    const [program, ...args] = plan.status;
    const status = await capture(program!, args, env, 30_000);
    if (status.ok) seen = countRayNodes(status.stdout);
    if (seen >= want) return;
    if (Date.now() > deadline) throw new BootstrapError(`only ${seen} of ${want} Ray nodes joined in time`);
    await sleep(STATUS_POLL_MS);
  }
}

async function main(): Promise<number> {
  const specPath = process.argv[2];
  if (!specPath) {
    process.stderr.write('usage: ray-on-slurm-runner.js <launch spec json>\n');
    return 64;
  }
  const spec = JSON.parse(await readFile(specPath, 'utf8')) as RayLaunchSpec;
  const [program, ...args] = spec.command;
  if (program === undefined) throw new Error('empty argv');
  const slurmEnv = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => /^SLURMD?_/.test(entry[0]) && entry[1] !== undefined),
  );
  const jobId = slurmEnv['SLURM_JOB_ID'] ?? slurmEnv['SLURM_JOBID'] ?? '0';
  const tempDir = join(spec.ray.tempRoot, `ray-${jobId}`);
  const token = randomBytes(32).toString('hex');

  let cancelled = false;
  let cluster: RayCluster | null = null;
  let driver: ChildProcess | null = null;
  // Slurm's cancel signals every process of the job; the runner outlives them to stop Ray and report.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (!cancelled) log(`${signal}: stopping the command and the Ray cluster`);
      cancelled = true;
      if (driver && alive(driver)) driver.kill(signal);
      void cluster?.stop(CANCEL_GRACE_MS);
    });
  }

  let status: number;
  try {
    const ray = spec.ray;
    const cliEnv = { ...slurmEnv, PATH: ray.cliPath };
    const scontrol = await resolveProgram('scontrol', ray.cliPath);
    const srun = await resolveProgram('srun', ray.cliPath);
    const listed = await capture(scontrol, ['show', 'hostnames', slurmEnv['SLURM_JOB_NODELIST'] ?? ''], cliEnv, 60_000);
    if (!listed.ok) throw new BootstrapError(`scontrol show hostnames: ${listed.stderr.trim()}`);
    const hostnames = listed.stdout.split('\n').map((line) => line.trim()).filter(Boolean);
    const headNode = slurmEnv['SLURMD_NODENAME'] ?? hostnames[0] ?? '';
    const headIp = await lookup(headNode, { family: 4 }).then(
      (found) => found.address,
      (error: Error) => Promise.reject(new BootstrapError(`cannot resolve the head node ${headNode}: ${error.message}`)),
    );
    const loopback = headIp.startsWith('127.');
    if (loopback && hostnames.length > 1) {
      throw new BootstrapError(`the head node ${headNode} resolves to ${headIp}, which the other nodes cannot reach`);
    }
    const free = portFree('0.0.0.0');
    const gcsPort = ray.headPort ?? (await pickPort(jobId, free));
    if (gcsPort === null || (ray.headPort !== null && !(await free(gcsPort)))) throw new BootstrapError(`GCS port ${gcsPort ?? '(none free)'} is taken`);
    const clientServerPort = await pickPort(jobId, free, [gcsPort]);
    const dashboardPort = await pickPort(jobId, free, [gcsPort, clientServerPort ?? 0]);
    if (clientServerPort === null || dashboardPort === null) throw new BootstrapError('no free ports for the Ray head');
    const plan = planRayCluster({
      hostnames,
      headNode,
      headIp,
      gcsPort,
      clientServerPort,
      dashboardPort,
      rayExecutable: ray.rayExecutable,
      srunExecutable: srun,
      cpusPerNode: ray.cpusPerNode,
      gpusPerNode: ray.gpusPerNode,
      objectStoreBytes: ray.objectStoreBytes,
      tempDir,
    });

    const rayAccess = {
      RAY_AUTH_MODE: 'token',
      RAY_AUTH_TOKEN: token,
      // Ray rewrites a loopback address to the host's routable one unless told the cluster is local-only.
      ...(loopback ? { RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER: '0' } : {}),
    };
    const rayEnv = {
      PATH: FALLBACK_PATH,
      ...slurmEnv,
      ...spec.env,
      ...rayAccess,
      RAY_USAGE_STATS_ENABLED: '0',
      // Ray drains a node for up to 30 s on SIGTERM by default; a cancelled job has KillWait seconds.
      RAY_GRACEFUL_SHUTDOWN_DRAIN_TIMEOUT_S: '0',
      // `ray status` then reads the node table from the GCS at once, not the autoscaler's 5 s snapshot.
      RAY_enable_autoscaler_v2: '1',
      [RAY_CLUSTER_MARKER]: tempDir,
    };
    await rm(tempDir, { recursive: true, force: true });
    if (cancelled) throw new BootstrapError('cancelled before the Ray cluster started');
    const started = Date.now();
    const deadline = started + ray.startTimeoutMs;
    log(`${hostnames.length} node(s) ${hostnames.join(',')}; head ${headNode} at ${plan.address}; temp dir ${tempDir}`);
    cluster = new RayCluster(rayEnv, tempDir);
    const starting = cluster;
    starting.start(plan.head.node, plan.head.argv);
    await waitForNodes(plan, starting, rayEnv, 1, deadline, () => cancelled);
    for (const worker of plan.workers) starting.start(worker.node, worker.argv);
    await waitForNodes(plan, starting, rayEnv, hostnames.length, deadline, () => cancelled);
    if (cancelled) throw new BootstrapError('cancelled before the command started');
    log(`all ${hostnames.length} Ray node(s) up after ${((Date.now() - started) / 1000).toFixed(1)} s; running the command`);

    status = await new Promise<number>((resolve) => {
      const child = spawn(program, args, {
        cwd: spec.cwd,
        env: { ...slurmEnv, ...spec.env, ...rayAccess, RAY_ADDRESS: plan.address },
        stdio: 'inherit',
        shell: false,
      });
      driver = child;
      for (const signal of ['SIGUSR1', 'SIGUSR2'] as const) process.on(signal, () => child.kill(signal));
      child.on('error', (error) => {
        log(`could not start ${JSON.stringify(program)}: ${error.message}`);
        resolve(127);
      });
      child.on('exit', (code, signal) => {
        if (signal) log(`the command was killed by ${signal}`);
        resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
      });
    });
  } catch (error) {
    // RangeError: planRayCluster found the head outside the allocation.
    if (!(error instanceof BootstrapError || error instanceof RangeError)) throw error;
    log(`the Ray cluster did not come up: ${error.message}`);
    status = cancelled ? 128 + constants.signals.SIGTERM : RAY_BOOTSTRAP_FAILED_EXIT;
  } finally {
    const stopping = Date.now();
    await cluster?.stop(cancelled ? CANCEL_GRACE_MS : STOP_GRACE_MS);
    if (cluster) log(`Ray cluster stopped in ${((Date.now() - stopping) / 1000).toFixed(1)} s`);
  }
  return status;
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    process.stderr.write(`ballast ray-on-slurm: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(70);
  },
);
