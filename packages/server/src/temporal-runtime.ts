import { DefaultLogger, Runtime, type LogLevel as TemporalLogLevel } from '@temporalio/worker';
import type { BallastConfig } from '@ballast/config';

let installed = false;

/**
 * Routes the Temporal SDK's own logs through Ballast's level (the SDK logs worker state changes at
 * INFO). The runtime can be installed once per process, before the first worker or connection.
 */
export function installTemporalRuntime(config: Pick<BallastConfig, 'log'>): void {
  if (installed) return;
  installed = true;
  const level: TemporalLogLevel = config.log.level === 'debug' ? 'DEBUG' : config.log.level === 'info' ? 'WARN' : 'ERROR';
  try {
    Runtime.install({ logger: new DefaultLogger(level) });
  } catch {
    // Already instantiated by an earlier caller in this process: keep its logger.
  }
}
