import { startServer, createLogger, type ServerRole } from '@ballast/server';
import { redactConfig } from '@ballast/config';
import type { CliContext } from '../context.js';

/** `ballast up` (all roles, embedded stack) and `ballast server --role api|worker|all`. Runs until SIGINT/SIGTERM. */
export async function upCommand(ctx: CliContext, role: ServerRole): Promise<void> {
  const log = createLogger(ctx.config);
  const server = await startServer(ctx.config, log, role);
  ctx.out(
    [
      `Ballast is up (${role}).`,
      server.apiUrl ? `  API:          ${server.apiUrl}` : null,
      `  Temporal:     ${server.temporalAddress} (namespace ${ctx.config.temporal.namespace})`,
      `  BALLAST_HOME: ${ctx.config.home}`,
      'Press Ctrl-C to stop; everything this server runs is stopped cleanly.',
    ]
      .filter((l) => l !== null)
      .join('\n'),
  );
  log('debug', 'configuration', { config: redactConfig(ctx.config) });
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      log('info', `received ${signal}; shutting down`);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await server.stop();
}
