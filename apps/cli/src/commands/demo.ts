import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot, terminalText as t } from '@ballast/config';
import { createLogger, startServer } from '@ballast/server';
import { createApiClient } from '../api-client.js';
import type { CliContext } from '../context.js';
import { generateDatasetsCommand } from './datasets.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { withServer } from '../lifecycle.js';
import { dryRunCommand, launchCommand } from './launch.js';
import { ensureDemoEnvironment, ensureTinyModel, realDemoConfig, registerExampleBenchmarks, writeTinySpec } from './demo-real.js';
import { TINY_MODEL_LABEL } from '@ballast/ml-env';

/**
 * `ballast demo [SPEC] [--real]`: starts the embedded stack, generates the reference datasets if missing,
 * launches the example through the API, shows progress, prints the report and where its files are, and
 * stops everything it started. `--real` runs examples/tiny-trl.yaml: TRL on a tiny random model built
 * locally, evaluated with inspect_ai and lm-eval (the ML environment is installed on first use). `--full`
 * runs examples/paper-design.yaml: the study's design (ablations, a fraction sweep, three seeds,
 * persistence under pressure and harmful fine-tuning) on the reference workload.
 */
export async function demoCommand(ctx: CliContext, specFile: string | undefined, options: { real?: boolean; full?: boolean } = {}): Promise<void> {
  if (options.real && specFile) throw new CliExit(EXIT.invalid, '--real runs examples/tiny-trl.yaml; give no SPEC with it');
  if (options.full && (specFile || options.real)) throw new CliExit(EXIT.invalid, '--full runs examples/paper-design.yaml on the reference workload; give neither SPEC nor --real with it');
  const spec = specFile ?? join(repositoryRoot(), 'examples', options.full ? 'paper-design.yaml' : 'beneficial-traits.yaml');
  if (!existsSync(spec)) throw new CliExit(EXIT.invalid, `no such spec: ${t(spec)}`);
  const started = Date.now();
  if (options.real) {
    ctx.out(`Ballast demo — a REAL model: TRL GRPO trains a ${TINY_MODEL_LABEL}, evaluated with inspect_ai and lm-eval, on CPU.`);
  } else {
    ctx.out('Ballast demo — the SIMULATED reference workload (a CPU stand-in for an LLM RL stack, not a language model).');
  }
  ctx.out(`BALLAST_HOME: ${t(ctx.config.home)}`);
  const python = options.real ? await ensureDemoEnvironment(ctx) : null;
  const config = options.real ? realDemoConfig(ctx.config) : ctx.config;
  const log = createLogger({ log: { level: ctx.config.log.level === 'debug' ? 'debug' : 'warn' } });
  ctx.out('starting the embedded Temporal and PostgreSQL …');
  const outcome = await withServer(
    () => startServer(config, log, 'all'),
    async (server) => {
      await generateDatasetsCommand(ctx);
      const apiCtx = { ...ctx, config, apiUrl: server.apiUrl!, client: createApiClient(server.apiUrl!) };
      let file = spec;
      if (python !== null) {
        const model = await ensureTinyModel(apiCtx, python);
        const refs = await registerExampleBenchmarks(apiCtx.client);
        ctx.out(`example benchmarks registered: ${refs.map((r) => t(r)).join(', ')}`);
        file = await writeTinySpec(apiCtx, model);
      }
      // What will run, before it runs: the resolved arms, comparisons, job count and estimate.
      await dryRunCommand(apiCtx, file, { json: false });
      ctx.out('');
      const view = await launchCommand(apiCtx, file, { watch: true });
      ctx.out(`\nexperiment ${t(view.id)} finished in ${((Date.now() - started) / 1000).toFixed(0)} s (including startup).`);
      ctx.out('stopping the embedded stack …');
    },
  );
  if (outcome.kind === 'signal') throw new CliExit(130, `interrupted (${outcome.signal}); the embedded stack was stopped`);
  if (outcome.kind === 'worker-stopped') throw new CliExit(EXIT.failed, `the worker stopped unexpectedly: ${t(String(outcome.error))}`);
}
