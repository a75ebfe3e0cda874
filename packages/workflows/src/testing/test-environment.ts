import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { repositoryRoot } from '@ballast/config';
import { localCliPath } from '@ballast/temporal-dev';
import { searchAttributes, type BallastActivities } from '@ballast/workflow-contract';

/**
 * Test-only: a local Temporal dev server (the real one, in memory, on a port of its own) with Ballast's
 * search attributes, for workflow tests with mocked activities. `TEMPORAL_CLI` names the binary;
 * otherwise the one `npm test` installs under `.tools/` is used.
 */
export async function startTestEnvironment(): Promise<TestWorkflowEnvironment> {
  // Workers log every state change at INFO; a test wants only what went wrong.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const path = process.env['TEMPORAL_CLI'] ?? localCliPath(join(repositoryRoot(), '.tools'));
  return await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      searchAttributes: Object.values(searchAttributes),
      extraArgs: ['--log-level', 'error'],
    },
  });
}

const WORKFLOWS_PATH = fileURLToPath(new URL('../index.js', import.meta.url));
let taskQueues = 0;

/** A worker with mocked activities on a task queue of its own; bundling the workflows happens once per process. */
export async function testWorker(env: TestWorkflowEnvironment, activities: Partial<BallastActivities>) {
  const taskQueue = `test-${process.pid}-${++taskQueues}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: await bundle(),
    activities,
  });
  return { worker, taskQueue };
}

let bundled: Promise<{ code: string }> | null = null;
async function bundle(): Promise<{ code: string }> {
  bundled ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  return await bundled;
}
