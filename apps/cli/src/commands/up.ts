import { startServer, createLogger, type ServerRole } from '@ballast/server';
import { redactConfig, terminalText as t } from '@ballast/config';
import type { CliContext } from '../context.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { withServer } from '../lifecycle.js';

/**
 * `ballast up` (all roles, embedded stack) and `ballast server --role api|worker|all`. Runs until
 * SIGINT/SIGTERM, then stops everything this server runs; exits non-zero if the worker dies, so a
 * supervisor restarts it.
 */
export async function upCommand(ctx: CliContext, role: ServerRole): Promise<void> {
  const log = createLogger(ctx.config);
  const outcome = await withServer(
    () => startServer(ctx.config, log, role),
    async (server) => {
      ctx.out(
        [
          `Ballast is up (${role}).`,
          server.apiUrl ? `  API:          ${t(server.apiUrl)}` : null,
          `  Temporal:     ${t(server.temporalAddress)} (namespace ${t(ctx.config.temporal.namespace)})`,
          `  BALLAST_HOME: ${t(ctx.config.home)}`,
          "Press Ctrl-C to stop, or run 'ballast down' from another terminal.",
        ]
          .filter((l) => l !== null)
          .join('\n'),
      );
      log('debug', 'configuration', { config: redactConfig(ctx.config) });
      await new Promise<never>(() => undefined);
    },
  );
  if (outcome.kind === 'signal') log('info', `received ${outcome.signal}; stopped`);
  if (outcome.kind === 'worker-stopped') {
    throw new CliExit(EXIT.failed, `the worker stopped unexpectedly (${t(String(outcome.error))}); Ballast shut down`);
  }
}
