// The one Temporal dev server and PostgreSQL the integration tests of a run share (each test stack takes
// a namespace and a database of its own on them; packages/integration-tests/src/harness/shared-stack.ts).
// Both run on free loopback ports with their state in this run's own directory, so two checkouts testing
// at once never meet. Imported after the build: it uses the built infra packages.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports.mjs';

const LOOPBACK = '127.0.0.1';

/**
 * Starts both at once and returns the env the test processes get. `stop()` stops whatever started, and
 * removes the state (also the PostgreSQL state that, as root, lives outside the run directory).
 */
export async function startSharedStack({ runDir, temporalCli, log }) {
  const { startTemporalDevServer } = await import('@ballast/temporal-dev');
  const { startEmbeddedPostgres } = await import('@ballast/postgres-dev');
  const { postgresStateDir } = await import('@ballast/config');
  const { SEARCH_ATTRIBUTE_TYPES } = await import('@ballast/workflow-contract');
  const home = join(runDir, 'shared-stack');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const postgresDir = postgresStateDir({ home, database: {} });
  const stops = [];
  // Idempotent: the runner calls it on its way out, also after a signal already did.
  let stopping;
  const stop = () => (stopping ??= stopAll());
  const stopAll = async () => {
    for (const stopOne of [...stops].reverse()) await stopOne().catch((error) => log(`stopping the shared stack: ${error.message}`));
    rmSync(postgresDir, { recursive: true, force: true });
  };
  const started = await Promise.allSettled([
    startTemporalDevServer({
      cliPath: temporalCli,
      stateDir: join(home, 'temporal'),
      host: LOOPBACK,
      port: await freePort(),
      namespace: 'ballast-test',
      searchAttributes: SEARCH_ATTRIBUTE_TYPES,
      log,
    }),
    startEmbeddedPostgres({ stateDir: postgresDir, host: LOOPBACK, port: await freePort(), database: 'ballast_test', log }),
  ]);
  for (const result of started) if (result.status === 'fulfilled') stops.push(() => result.value.stop());
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const [temporal, postgres] = started.map((result) => result.value);
  return {
    env: { BALLAST_TEST_TEMPORAL_ADDRESS: temporal.address, BALLAST_TEST_DATABASE_URL: postgres.url },
    describe: `Temporal ${temporal.address}, PostgreSQL ${postgres.redactedUrl}`,
    stop,
  };
}
