/**
 * Ray-on-Slurm: how verl and OpenRLHF run multi-node. A job that asks for it gets a Ray cluster started
 * inside its own Slurm allocation (one `ray start` per node, as job steps), and its command runs on the
 * first node as the Ray driver with RAY_ADDRESS set; the cluster is torn down when the command ends or
 * the job is cancelled. The orchestration is ray-on-slurm-runner.js; this module holds the request
 * shape, its checks, the launch spec and the pure planning the runner does.
 */
import { isAbsolute } from 'node:path';

/** Opt-in launch mode on a Slurm submit request (`SlurmSubmitRequest.distributed`). */
export interface RayOnSlurm {
  kind: 'ray';
  /** The `ray` CLI as every node of the allocation sees it (from `ray[default]`: the client server is used). */
  rayExecutable: string;
  /** GCS port of the job's head; by default a free one derived from the job id, in 20000–29999. */
  headPort?: number;
  /** Object store per node, in MiB (default 512; Ray's minimum is 75). */
  objectStoreMemoryMb?: number;
  /**
   * Node-local directory under which each node's Ray temp dir (`<tempRoot>/ray-<job id>`) is made.
   * Ray puts unix sockets below it, whose paths may not exceed 107 bytes, hence the length limit.
   */
  tempRoot?: string;
  /** How long the cluster may take to have every node before the job fails (default 300 s). */
  startTimeoutSeconds?: number;
}

export const RAY_DEFAULTS = { objectStoreMemoryMb: 512, tempRoot: '/tmp', startTimeoutSeconds: 300 } as const;
const MAX_TEMP_ROOT = 32;

/** Exit status of a job whose Ray cluster never came up (EX_UNAVAILABLE), its command not run. */
export const RAY_BOOTSTRAP_FAILED_EXIT = 69;

/** Environment variable carrying the job's Ray temp dir in every Ray process, so teardown finds them all. */
export const RAY_CLUSTER_MARKER = 'BALLAST_RAY_CLUSTER';

export function rayOnSlurmIssues(ray: RayOnSlurm): string[] {
  const issues: string[] = [];
  const at = (field: string, message: string) => issues.push(`distributed.${field}: ${message}`);
  if (ray.kind !== 'ray') at('kind', `unknown launch mode ${JSON.stringify(ray.kind)}`);
  if (typeof ray.rayExecutable !== 'string' || !isAbsolute(ray.rayExecutable) || ray.rayExecutable.includes('\0')) {
    at('rayExecutable', 'must be an absolute path');
  }
  const port = ray.headPort;
  if (port !== undefined && !(Number.isInteger(port) && port >= 1024 && port <= 65535)) at('headPort', 'must be an integer in 1024..65535');
  const store = ray.objectStoreMemoryMb;
  if (store !== undefined && !(Number.isInteger(store) && store >= 75)) at('objectStoreMemoryMb', 'must be an integer >= 75');
  const root = ray.tempRoot;
  if (root !== undefined && !(isAbsolute(root) && root.length <= MAX_TEMP_ROOT && /^[A-Za-z0-9/._-]+$/.test(root))) {
    at('tempRoot', `must be an absolute path of at most ${MAX_TEMP_ROOT} characters from [A-Za-z0-9/._-]`);
  }
  const timeout = ray.startTimeoutSeconds;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) at('startTimeoutSeconds', 'must be > 0');
  return issues;
}

/** What ray-on-slurm-runner.js reads: the command and its environment, plus the cluster's shape. */
export interface RayLaunchSpec {
  command: string[];
  env: Record<string, string>;
  cwd: string;
  ray: {
    rayExecutable: string;
    headPort: number | null;
    objectStoreBytes: number;
    tempRoot: string;
    startTimeoutMs: number;
    cpusPerNode: number;
    gpusPerNode: number;
    nodes: number;
    /** PATH under which the runner finds `scontrol` and `srun` on the compute nodes. */
    cliPath: string;
  };
}

export function rayLaunchSpec(
  request: { command: readonly string[]; env: Record<string, string>; cwd: string; resources: { cpus: number; gpus: number; nodes?: number } },
  ray: RayOnSlurm,
  cliPath: string,
): RayLaunchSpec {
  return {
    command: [...request.command],
    env: { ...request.env },
    cwd: request.cwd,
    ray: {
      rayExecutable: ray.rayExecutable,
      headPort: ray.headPort ?? null,
      objectStoreBytes: (ray.objectStoreMemoryMb ?? RAY_DEFAULTS.objectStoreMemoryMb) * 1024 * 1024,
      tempRoot: ray.tempRoot ?? RAY_DEFAULTS.tempRoot,
      startTimeoutMs: (ray.startTimeoutSeconds ?? RAY_DEFAULTS.startTimeoutSeconds) * 1000,
      // sbatch asks for this many CPUs per node (--cpus-per-task with one task per node).
      cpusPerNode: Math.ceil(request.resources.cpus),
      gpusPerNode: request.resources.gpus,
      nodes: request.resources.nodes ?? 1,
      cliPath,
    },
  };
}

export interface RayClusterPlanInput {
  /** The allocation's nodes, as `scontrol show hostnames "$SLURM_JOB_NODELIST"` prints them. */
  hostnames: readonly string[];
  /** The node the batch step (and so the runner and the driver) runs on: the head. */
  headNode: string;
  /** The head's address as the other nodes reach it. */
  headIp: string;
  gcsPort: number;
  clientServerPort: number;
  /** Ray binds it even with the dashboard off; set so it cannot collide with another head's 8265. */
  dashboardPort: number;
  rayExecutable: string;
  srunExecutable: string;
  cpusPerNode: number;
  gpusPerNode: number;
  objectStoreBytes: number;
  /** The job's node-local Ray temp dir. */
  tempDir: string;
}

export interface RayClusterPlan {
  /** GCS address: RAY_ADDRESS for the driver, `--address` for the workers. */
  address: string;
  head: { node: string; argv: string[] };
  workers: { node: string; argv: string[] }[];
  /** Asks the GCS which nodes are alive (see countRayNodes). */
  status: string[];
}

/**
 * The processes that make the job's Ray cluster: one `ray start --block` per node, each a one-task job
 * step pinned to its node (`--overlap`, so the steps and the batch step share the allocation's CPUs).
 * `--export=ALL` because sbatch's `--export=NONE` reaches srun as SLURM_EXPORT_ENV=NONE, which would
 * drop the job's environment and Ray's token. Ports the host may already use are set: the head's
 * explicitly, the dashboard agent's to 0 (any); the dashboard itself is off.
 */
export function planRayCluster(input: RayClusterPlanInput): RayClusterPlan {
  if (!input.hostnames.includes(input.headNode)) {
    throw new RangeError(`the head node ${input.headNode} is not in the allocation (${input.hostnames.join(', ')})`);
  }
  const address = `${input.headIp}:${input.gcsPort}`;
  const step = (node: string, name: string) => [
    input.srunExecutable,
    '--nodes=1',
    '--ntasks=1',
    '--overlap',
    `--nodelist=${node}`,
    `--job-name=${name}`,
    '--export=ALL',
    '--input=none',
  ];
  const shared = [
    '--dashboard-agent-listen-port=0',
    `--num-cpus=${input.cpusPerNode}`,
    `--num-gpus=${input.gpusPerNode}`,
    `--object-store-memory=${input.objectStoreBytes}`,
    `--temp-dir=${input.tempDir}`,
    '--disable-usage-stats',
    '--block',
  ];
  return {
    address,
    head: {
      node: input.headNode,
      argv: [
        ...step(input.headNode, 'ray-head'),
        input.rayExecutable,
        'start',
        '--head',
        `--node-ip-address=${input.headIp}`,
        `--port=${input.gcsPort}`,
        `--ray-client-server-port=${input.clientServerPort}`,
        '--include-dashboard=false',
        `--dashboard-port=${input.dashboardPort}`,
        ...shared,
      ],
    },
    workers: input.hostnames
      .filter((node) => node !== input.headNode)
      .map((node) => ({ node, argv: [...step(node, 'ray-worker'), input.rayExecutable, 'start', `--address=${address}`, ...shared] })),
    status: [input.rayExecutable, 'status', `--address=${address}`],
  };
}

/**
 * The number of live nodes in `ray status` output: the distinct node ids listed under "Active:" and
 * "Idle:" (autoscaler v2 lists idle nodes apart), not those under "Pending:" or "Recent failures:".
 */
export function countRayNodes(statusText: string): number {
  const nodes = new Set<string>();
  let counting = false;
  for (const line of statusText.split('\n')) {
    const header = /^(\w[\w ]*):\s*$/.exec(line);
    if (header) {
      counting = header[1] === 'Active' || header[1] === 'Idle';
      continue;
    }
    if (!/^\s/.test(line)) {
      counting = false;
      continue;
    }
    const id = counting ? /\bnode_[0-9a-f]+\b/.exec(line) : null;
    if (id) nodes.add(id[0]);
  }
  return nodes.size;
}

/**
 * The first port in 20000–29999, from a start derived from the job id, for which `isFree` holds. Starts
 * are 4 apart, so jobs with neighbouring ids starting on one node at once do not reach for the same
 * three ports (GCS, client server, dashboard).
 */
export async function pickPort(jobId: string, isFree: (port: number) => Promise<boolean>, avoid: readonly number[] = []): Promise<number | null> {
  const start = 20_000 + ((Number(jobId) || 0) * 4) % 10_000;
  for (let i = 0; i < 10_000; i++) {
    const port = 20_000 + ((start - 20_000 + i) % 10_000);
    if (!avoid.includes(port) && (await isFree(port))) return port;
  }
  return null;
}
