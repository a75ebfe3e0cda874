import { mlDeps } from './ml-context.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { createActivities, mixCopyModeOnThisHost } from '@ballast/activities';
import type { Backend } from '@ballast/backends';
import { FileArtifactStore } from '@ballast/artifacts';
import { datasetRoots, homePaths, type BallastConfig } from '@ballast/config';
import type { Db } from '@ballast/db';
import { workflowsPath } from '@ballast/workflows';
import type { Logger } from './logger.js';
import { temporalConnectionOptions } from './temporal-connection.js';

/** The workflow bundle made at build time; bundling at every start would cost seconds. */
export const WORKFLOW_BUNDLE_PATH = fileURLToPath(new URL('./workflow-bundle.js', import.meta.url));

export interface WorkerHandle {
  readonly worker: Worker;
  /** Resolves when the worker has stopped. */
  readonly done: Promise<void>;
  shutdown(): Promise<void>;
}

export async function startWorker(options: {
  config: BallastConfig;
  temporalAddress: string;
  db: Db;
  client: Client;
  backends: Readonly<Record<string, Backend>>;
  log: Logger;
}): Promise<WorkerHandle> {
  const { config, log } = options;
  const copyMode = mixCopyModeOnThisHost(config.worker.mixCopy);
  const paths = homePaths(config);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config, options.temporalAddress));
  const activities = createActivities({
    db: options.db,
    store: new FileArtifactStore(paths.artifacts),
    backends: options.backends,
    temporal: options.client,
    paths: { artifacts: paths.artifacts, referenceDatasets: paths.referenceDatasets, datasetRoots: datasetRoots(config), benchmarks: paths.benchmarks },
    pollIntervalMs: config.worker.pollIntervalMs,
    mixCopy: config.worker.mixCopy,
    ml: mlDeps(config),
    log,
  });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...(existsSync(WORKFLOW_BUNDLE_PATH) ? { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } } : { workflowsPath }),
    activities,
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    // Activities must see cancellation promptly so backend jobs are cancelled, not orphaned.
    maxHeartbeatThrottleInterval: '5 seconds',
    // A stopping worker cancels its activities, which leave their backend jobs running for the next
    // worker to adopt; one stuck in a call that never returns (an unreachable backend) must not hold
    // `ballast down` or a test's teardown for ever.
    shutdownForceTime: '1 minute',
  });
  const done = worker
    .run()
    .catch((error: unknown) => {
      if ((error as Error).name !== 'GracefulShutdownPeriodExpiredError') throw error;
      log('warn', 'worker stopped with activities still running after the 1-minute shutdown period; their backend jobs are adopted by the next worker');
    })
    .finally(async () => {
      await connection.close();
    });
  log('info', `worker polling task queue '${config.temporal.taskQueue}' in namespace '${config.temporal.namespace}'; ${copyMode}`);
  return {
    worker,
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
