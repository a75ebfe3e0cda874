import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countRayNodes, pickPort, planRayCluster, rayLaunchSpec, rayOnSlurmIssues } from './ray-on-slurm.js';
import type { RayClusterPlanInput } from './ray-on-slurm.js';

const INPUT: RayClusterPlanInput = {
  hostnames: ['gpu-a', 'gpu-b', 'gpu-c'],
  headNode: 'gpu-a',
  headIp: '10.0.0.1',
  gcsPort: 20_424,
  clientServerPort: 20_426,
  dashboardPort: 20_428,
  rayExecutable: '/opt/venv/bin/ray',
  srunExecutable: '/usr/bin/srun',
  cpusPerNode: 16,
  gpusPerNode: 8,
  objectStoreBytes: 512 * 1024 * 1024,
  tempDir: '/tmp/ray-4242',
};

const NODE_FLAGS = [
  '--dashboard-agent-listen-port=0',
  '--num-cpus=16',
  '--num-gpus=8',
  `--object-store-memory=${512 * 1024 * 1024}`,
  '--temp-dir=/tmp/ray-4242',
  '--disable-usage-stats',
  '--block',
];
const step = (node: string, name: string) => [
  '/usr/bin/srun', '--nodes=1', '--ntasks=1', '--overlap', `--nodelist=${node}`, `--job-name=${name}`, '--export=ALL', '--input=none',
];

test('the plan: a head step on the batch node, one worker step per other node, all bounded and blocking', { timeout: 300_000 }, () => {
  const plan = planRayCluster(INPUT);
  assert.equal(plan.address, '10.0.0.1:20424');
  assert.deepEqual(plan.head, {
    node: 'gpu-a',
    argv: [
      ...step('gpu-a', 'ray-head'),
      '/opt/venv/bin/ray', 'start', '--head', '--node-ip-address=10.0.0.1', '--port=20424', '--ray-client-server-port=20426',
      '--include-dashboard=false', '--dashboard-port=20428', ...NODE_FLAGS,
    ],
  });
  assert.deepEqual(plan.workers, [
    { node: 'gpu-b', argv: [...step('gpu-b', 'ray-worker'), '/opt/venv/bin/ray', 'start', '--address=10.0.0.1:20424', ...NODE_FLAGS] },
    { node: 'gpu-c', argv: [...step('gpu-c', 'ray-worker'), '/opt/venv/bin/ray', 'start', '--address=10.0.0.1:20424', ...NODE_FLAGS] },
  ]);
  assert.deepEqual(plan.status, ['/opt/venv/bin/ray', 'status', '--address=10.0.0.1:20424']);
});

test('the head is whichever node runs the batch step, not necessarily the first listed', { timeout: 300_000 }, () => {
  const plan = planRayCluster({ ...INPUT, headNode: 'gpu-b' });
  assert.equal(plan.head.node, 'gpu-b');
  assert.deepEqual(plan.workers.map((w) => w.node), ['gpu-a', 'gpu-c']);
  assert.deepEqual(planRayCluster({ ...INPUT, hostnames: ['gpu-a'] }).workers, []);
  assert.throws(() => planRayCluster({ ...INPUT, headNode: 'login1' }), /not in the allocation/);
});

test('countRayNodes counts the live nodes of `ray status` (v1 and v2 layouts), not pending or failed ones', { timeout: 300_000 }, () => {
  const v1 = `======== Autoscaler status: 2026-11-28 10:14:17.423316 ========
Node status
---------------------------------------------------------------
Active:
 1 node_acec20df894144cb5113756b5d9ded6504cb18a0b72cdedd5e7345a5
 1 node_0b1c
Pending:
 node_ffff, 1 launching
Recent failures:
 node_dead: NodeTerminated (ip: 10.0.0.9)

Resources
---------------------------------------------------------------
Total Usage:
 0.0/1.0 CPU`;
  assert.equal(countRayNodes(v1), 2);
  const v2 = `Node status
Active:
 node_9b96d5
Idle:
 node_1a2b
 node_3c4d
Pending:
 (no pending nodes)
Recent failures:
 (no failures)`;
  assert.equal(countRayNodes(v2), 3);
  assert.equal(countRayNodes('No cluster status. It may take a few seconds for the Ray internal services to start up.'), 0);
  assert.equal(countRayNodes('Active:\n (no active nodes)\nIdle:\n (no idle nodes)'), 0);
});

test('pickPort starts from the job id in 20000-29999, skips taken or avoided ports and wraps around', { timeout: 300_000 }, async () => {
  assert.equal(await pickPort('4242', async () => true), 26_968);
  assert.equal(await pickPort('4242', async (port) => port !== 26_968, [26_969]), 26_970);
  assert.equal(await pickPort('4999', async (port) => port < 20_001), 20_000);
  assert.equal(await pickPort('4243', async () => true), 26_972);
  assert.equal(await pickPort('7', async () => false), null);
});

test('Ray launch requests: checks and the spec the runner reads', { timeout: 300_000 }, () => {
  assert.deepEqual(rayOnSlurmIssues({ kind: 'ray', rayExecutable: '/opt/venv/bin/ray' }), []);
  assert.deepEqual(
    rayOnSlurmIssues({ kind: 'ray', rayExecutable: 'ray', headPort: 22, objectStoreMemoryMb: 1, tempRoot: '/tmp/a b', startTimeoutSeconds: -1 }).map(
      (issue) => issue.split(':')[0],
    ),
    ['distributed.rayExecutable', 'distributed.headPort', 'distributed.objectStoreMemoryMb', 'distributed.tempRoot', 'distributed.startTimeoutSeconds'],
  );
  const spec = rayLaunchSpec(
    { command: ['python3', '-m', 'verl.trainer.main_ppo'], env: { HF_HOME: '/data/hf' }, cwd: '/work', resources: { cpus: 7.5, gpus: 8, nodes: 4 } },
    { kind: 'ray', rayExecutable: '/opt/venv/bin/ray' },
    '/usr/bin:/bin',
  );
  assert.deepEqual(spec, {
    command: ['python3', '-m', 'verl.trainer.main_ppo'],
    env: { HF_HOME: '/data/hf' },
    cwd: '/work',
    ray: {
      rayExecutable: '/opt/venv/bin/ray',
      headPort: null,
      objectStoreBytes: 512 * 1024 * 1024,
      tempRoot: '/tmp',
      startTimeoutMs: 300_000,
      cpusPerNode: 8,
      gpusPerNode: 8,
      nodes: 4,
      cliPath: '/usr/bin:/bin',
    },
  });
});
