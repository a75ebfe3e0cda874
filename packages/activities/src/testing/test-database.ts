import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@ballast/postgres-dev';
import { createDb, insertExperimentOnce, migrate, type DbHandle } from '@ballast/db';

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface TestDatabase {
  readonly handle: DbHandle;
  stop(): Promise<void>;
}

/**
 * Test-only: a migrated database of this test file's own, in a real PostgreSQL (embedded, on a free
 * port, in a temporary directory removed at stop).
 */
export async function startTestDatabase(): Promise<TestDatabase> {
  const home = mkdtempSync(join(tmpdir(), 'ballast-activities-'));
  chmodSync(home, 0o755);
  const server = await startEmbeddedPostgres({
    stateDir: join(home, 'postgres'),
    host: '127.0.0.1',
    port: await freePort(),
    database: 'ballast_test',
    log: () => undefined,
  });
  const handle = createDb(server.url);
  await migrate(handle.pool);
  return {
    handle,
    async stop() {
      await handle.close();
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Inserts an experiment with one arm (what a job row needs to exist) and returns the arm id. */
export async function insertArm(handle: DbHandle, suffix: string): Promise<string> {
  const experimentId = `exp_${suffix}`;
  const armId = `arm_${suffix}`;
  await insertExperimentOnce(
    handle.db,
    {
      id: experimentId,
      name: `test ${suffix}`,
      clientRequestId: `request-${suffix}`,
      rawSpec: {},
      resolvedSpec: {},
      specHash: 'sha256:test',
      phase: 'TRAINING',
      simulated: true,
      launchedBy: 'test',
      ballastVersion: '0.0.0',
      workflowId: `experiment-${experimentId}`,
    },
    [{ id: armId, experimentId, name: 'traits', seed: 1, resolved: {}, totalSteps: 10 }],
  );
  return armId;
}
