import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot, terminalText as t } from '@ballast/config';
import { createLogger, startServer } from '@ballast/server';
import { createApiClient } from '../api-client.js';
import type { CliContext } from '../context.js';
import { generateDatasetsCommand } from './datasets.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { withServer } from '../lifecycle.js';
import { launchCommand } from './launch.js';

/**
 * `ballast demo [SPEC]`: starts the embedded stack, generates the reference datasets if missing, launches
 * the example through the API, shows progress, prints the report and where its files are, and stops
 * everything it started.
 */
export async function demoCommand(ctx: CliContext, specFile: string | undefined): Promise<void> {
  const spec = specFile ?? join(repositoryRoot(), 'examples', 'beneficial-traits.yaml');
  if (!existsSync(spec)) throw new CliExit(EXIT.invalid, `no such spec: ${t(spec)}`);
  const started = Date.now();
  ctx.out('Ballast demo — the SIMULATED reference workload (a CPU stand-in for an LLM RL stack, not a language model).');
  ctx.out(`BALLAST_HOME: ${t(ctx.config.home)}`);
  const log = createLogger({ log: { level: ctx.config.log.level === 'debug' ? 'debug' : 'warn' } });
  ctx.out('starting the embedded Temporal and PostgreSQL …');
  const outcome = await withServer(
    () => startServer(ctx.config, log, 'all'),
    async (server) => {
      await generateDatasetsCommand(ctx);
      const apiCtx = { ...ctx, apiUrl: server.apiUrl!, client: createApiClient(server.apiUrl!) };
      const view = await launchCommand(apiCtx, spec, { watch: true });
      ctx.out(`\nexperiment ${t(view.id)} finished in ${((Date.now() - started) / 1000).toFixed(0)} s (including startup).`);
      ctx.out('stopping the embedded stack …');
    },
  );
  if (outcome.kind === 'signal') throw new CliExit(130, `interrupted (${outcome.signal}); the embedded stack was stopped`);
  if (outcome.kind === 'worker-stopped') throw new CliExit(EXIT.failed, `the worker stopped unexpectedly: ${t(String(outcome.error))}`);
}
