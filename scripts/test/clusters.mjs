// The real single-node Slurm cluster, Ray head and loopback sshd (a login node) the backend tests use,
// each in a directory of this run's own (`infra/<name>/up.sh --run-dir DIR`, free ports), so two runs
// never share or stop each other's. Each up.sh records what tests need as KEY=VALUE lines in DIR/test-env
// (BALLAST_TEST_SLURM_CONF, BALLAST_TEST_RAY_ADDRESS, ...); those become the test processes' env.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../run.mjs';

export const CLUSTERS = ['slurm', 'ray', 'ssh'];

// The Slurm node offers more CPUs than the machine has (slurm.conf's config_overrides allows it): test
// jobs mostly sleep, and files running at once must not queue behind each other's jobs for a CPU.
const SLURM_CPUS = '8';

function readTestEnv(dir) {
  const file = join(dir, 'test-env');
  if (!existsSync(file)) return {};
  const env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) env[match[1]] = match[2];
  }
  return env;
}

/** Starts all three at once; a failure stops the ones that came up and throws, naming the failed ones. */
export async function startClusters({ root, runDir }) {
  const env = { ...process.env, BALLAST_SLURM_CPUS: SLURM_CPUS };
  const dirOf = (name) => join(runDir, name);
  for (const name of CLUSTERS) mkdirSync(dirOf(name), { recursive: true, mode: 0o700 });
  const stop = async () => {
    await Promise.all(CLUSTERS.map((name) => run('bash', [join(root, 'infra', name, 'down.sh'), '--run-dir', dirOf(name)], { capture: true })));
  };
  const ups = await Promise.all(
    CLUSTERS.map(async (name) => ({ name, ...(await run('bash', [join(root, 'infra', name, 'up.sh'), '--run-dir', dirOf(name)], { capture: true, env })) })),
  );
  const failed = ups.filter((up) => up.code !== 0).map((up) => `infra/${up.name}/up.sh (exit ${up.code})`);
  if (failed.length > 0) {
    await stop();
    throw new Error(`could not start the test clusters: ${failed.join(', ')}; their output is above`);
  }
  return { env: Object.assign({}, ...CLUSTERS.map((n) => readTestEnv(dirOf(n)))), stop };
}
