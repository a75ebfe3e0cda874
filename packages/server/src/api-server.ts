import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { Client } from '@temporalio/client';
import { appRouter, errorIdOf, loadBenchmarkRegistry, type ApiContext } from '@ballast/api';
import type { Backend } from '@ballast/backends';
import { ML_ROOTS_SETTING, mlRoots, type BallastConfig } from '@ballast/config';
import type { Db } from '@ballast/db';
import { datasetIssueChecker, datasetPathResolver } from './dataset-availability.js';
import { realModelLaunchContext } from './ml-context.js';
import type { Logger } from './logger.js';
import { readProvenance } from './provenance.js';
import { guardRequests } from './http/edge-guard.js';
import { createHostPolicy } from './http/host-policy.js';

export interface ApiServerHandle {
  readonly url: string;
  close(): Promise<void>;
}

export function createApiContext(options: {
  config: BallastConfig;
  db: Db;
  temporal: Client;
  backends: Readonly<Record<string, Backend>>;
}): ApiContext {
  return {
    db: options.db,
    temporal: options.temporal,
    taskQueue: options.config.temporal.taskQueue,
    provenance: readProvenance(options.config),
    datasetIssue: datasetIssueChecker(options.config),
    datasetPath: datasetPathResolver(options.config),
    ml: realModelLaunchContext(options.config),
    benchmarks: { registry: () => loadBenchmarkRegistry(options.db), roots: mlRoots(options.config), rootsSetting: ML_ROOTS_SETTING },
    configuredBackends: Object.keys(options.backends),
    jobLogs: async (job, tailLines) => {
      const backend = options.backends[job.backend];
      if (!backend) return [`(backend '${job.backend}' is not configured on this API server)`];
      const handle = await backend.findByKey(job.attemptKey);
      return handle ? await backend.logs(handle, { tailLines }) : [];
    },
  };
}

/**
 * Serves the tRPC API over HTTP on the configured address (loopback unless configured otherwise), behind
 * the edge checks of ./http: Host and Origin against `api.allowedHosts`, URL length, `api.maxBodyBytes`.
 */
export async function startApiServer(context: ApiContext, config: BallastConfig, log: Logger): Promise<ApiServerHandle> {
  const handler = createHTTPHandler({
    router: appRouter,
    createContext: () => context,
    // The edge guard hands tRPC the body it read within this limit; this bounds tRPC only should a
    // request ever reach it with its body unread.
    maxBodySize: config.api.maxBodyBytes,
    onError: ({ error, path }) => {
      if (getHTTPStatusCodeFromError(error) < 500) return;
      // The client got only this id (see the errorFormatter of @ballast/api); the full error is here.
      const errorId = errorIdOf(error);
      log('error', `api ${path ?? '?'} failed (${errorId}): ${error.message}`, { errorId, stack: error.stack });
    },
  });
  const edge = guardRequests(handler, {
    hosts: createHostPolicy({ boundAddress: config.api.host, allowedHosts: config.api.allowedHosts }),
    maxBodyBytes: config.api.maxBodyBytes,
    log,
  });
  const server = createServer(edge.onRequest);
  server.on('checkContinue', edge.onCheckContinue);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.api.port, config.api.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}`;
  log('info', `API listening on ${url}`);
  return {
    url,
    close: async () =>
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
